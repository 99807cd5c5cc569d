"""/docs draws the API under the real Content-Security-Policy, from minyi's own files only."""

from __future__ import annotations

from typing import Any


def test_the_api_docs_render_under_the_csp(browser: Any, live_server: str) -> None:
    ctx = browser.new_context(
        base_url=live_server, bypass_csp=False, viewport={"width": 1280, "height": 20_000}
    )
    try:
        page = ctx.new_page()
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("request", lambda r: None if r.url.startswith(live_server) else problems.append(r.url))
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto("/docs")
        try:
            page.wait_for_selector(".opblock", timeout=15_000)
        except Exception:
            raise AssertionError(problems) from None
        # Swagger draws only what is in view: the tall viewport holds every tag of the API
        assert page.locator(".opblock-tag").count() >= 12, page.locator(".opblock-tag").all_inner_texts()
        assert page.locator(".opblock").count() >= 25, problems
        assert not [p for p in problems if "favicon" not in p], problems
    finally:
        ctx.close()
