"""Browser tests: one live minyi server (uvicorn in a subprocess on a temp SQLite database) per session."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("MINYI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]  # fmt: skip
ROOT = Path(__file__).resolve().parents[2]
AXE = Path(__file__).resolve().parent / "assets" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

pytestmark = pytest.mark.browser


def _missing_reason() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright for Python is not installed"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = _missing_reason()
    for item in items:
        if "tests/browser" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group("browser"))  # one server and one Chromium under -n
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _minyi(env: dict[str, str], *args: str) -> str:
    exe = shutil.which("minyi", path=str(Path(sys.executable).parent)) or "minyi"
    done = subprocess.run([exe, *args], env=env, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"minyi {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a minyi server with the demo data loaded."""
    data = tmp_path_factory.mktemp("minyi-browser")
    env = {
        **os.environ,
        "MINYI_DATA_DIR": str(data),
        "MINYI_ENV": "test",
        "MINYI_SECRET_KEY": "browser-test-secret",
        "MINYI_DATABASE_URL": f"sqlite:///{data / 'minyi.sqlite3'}",
    }
    _minyi(env, "db", "upgrade")
    _minyi(env, "demo", "--cases", "80")
    port = _free_port()
    log = (data / "server.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "minyi.app:create_app", "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180  # a loaded machine starts it slowly; a quiet one in seconds
        while True:
            try:
                with urllib.request.urlopen(base + "/", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "minyi server did not start: " + (data / "server.log").read_text()
                    ) from None
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def _context(browser: Any, live_server: str, *, js: bool, viewport: dict[str, int]) -> Any:
    ctx = browser.new_context(
        base_url=live_server, java_script_enabled=js, viewport=viewport, bypass_csp=True, locale="zh-CN"
    )
    ctx.set_default_timeout(10_000)
    return ctx


@pytest.fixture
def page(browser: Any, live_server: str) -> Iterator[Any]:
    """A fresh desktop page with JavaScript on."""
    ctx = _context(browser, live_server, js=True, viewport=DESKTOP)
    yield ctx.new_page()
    ctx.close()


@pytest.fixture
def nojs_page(browser: Any, live_server: str) -> Iterator[Any]:
    """A fresh page with JavaScript off: every core flow must still work."""
    ctx = _context(browser, live_server, js=False, viewport=DESKTOP)
    yield ctx.new_page()
    ctx.close()


@pytest.fixture
def phone_page(browser: Any, live_server: str) -> Iterator[Any]:
    """A fresh page at phone width."""
    ctx = _context(browser, live_server, js=True, viewport=PHONE)
    yield ctx.new_page()
    ctx.close()


def serious_axe_violations(page: Any) -> list[dict[str, Any]]:
    """Inject axe-core into the page and return its serious and critical violations."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations'],"
        " runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
    )
    assert result["testEngine"]["name"] == "axe-core" and result["url"].startswith("http")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def describe(violations: list[dict[str, Any]]) -> str:
    """A readable failure message for axe violations."""
    return json.dumps(violations, ensure_ascii=False, indent=1)


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot under artifacts/screenshots/ (not committed)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"] if page.viewport_size else 0
    path = SHOTS / f"{name}-{width}px.png"
    page.screenshot(path=str(path), full_page=True)
    return path
