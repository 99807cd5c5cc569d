"""Write a report as a self-contained HTML document and a PDF printed by the system Chromium (Playwright),
into the published folder that the report pages link to."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from minyi.annual.build import Report
from minyi.settings import get_settings
from minyi.web.rendering import render_document

BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"]  # fmt: skip
SAFE_CODE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


class NoBrowser(RuntimeError):
    """The Chromium that prints PDFs is not where the settings say."""


def published_dir() -> Path:
    """Where the printed reports live; the pages serve them from here."""
    return get_settings().data_dir / "annual-reports"


def file_stem(year: int, department_code: str | None = None, locale: str = "zh_CN") -> str | None:
    """The file name (without suffix) of a report, or None for a department code that cannot be a file name."""
    if department_code is not None and not SAFE_CODE.match(department_code):
        return None
    stem = f"annual-{year}" if department_code is None else f"department-{department_code}-{year}"
    return stem if locale != "en" else stem + ".en"


def print_pdf(html: str) -> bytes:
    """Print a self-contained HTML document to A4 PDF with the system Chromium; nothing is fetched.

    Playwright's sync API refuses to run where an asyncio loop runs (a caller inside one, another Playwright
    session), so the printing has a thread of its own."""
    exe = get_settings().chromium
    if not exe.exists():
        raise NoBrowser(f"Chromium not found at {exe} (set MINYI_CHROMIUM)")
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_print, html, exe).result(timeout=300)


def _print(html: str, exe: Path) -> bytes:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(exe), args=BROWSER_ARGS, headless=True)
        try:
            page = browser.new_page()
            page.route("**/*", lambda route: route.abort())  # the document is whole: no request leaves
            page.set_content(html, wait_until="load")
            return page.pdf(format="A4", print_background=True,
                            margin={"top": "16mm", "bottom": "16mm", "left": "14mm", "right": "14mm"})  # fmt: skip
        finally:
            browser.close()


def write_report(
    report: Report,
    directory: Path,
    locale: str,
    *,
    pdf: bool = True,
    printer: Callable[[str], bytes] | None = None,
) -> list[Path]:
    """Write `<stem>.html` (and `<stem>.pdf`, printed by `printer`, the system Chromium by default) into
    `directory`; each file replaced whole. Returns the paths."""
    stem = file_stem(report.scope.year, report.scope.department_code, locale)
    if stem is None:
        raise ValueError("department code unfit for a file name")
    directory.mkdir(parents=True, exist_ok=True)
    html = render_document("annual/document.html", report.context(), locale)
    written = [replace_file(directory / f"{stem}.html", html.encode("utf-8"))]
    if pdf:
        written.append(replace_file(directory / f"{stem}.pdf", (printer or print_pdf)(html)))
    return written


def replace_file(path: Path, data: bytes) -> Path:
    """Write `path` whole: readers see the old file or the new one, never a part."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return path
