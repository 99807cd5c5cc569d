"""The kit every page uses: the page middleware (locale, CSRF cookie), static files, rendering, signing, forms."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse
from starlette.datastructures import MutableHeaders
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from minyi import locale as i18n
from minyi.web.signing import CSRF_COOKIE, new_browser_secret

STATIC = Path(__file__).resolve().parents[1] / "static"
LANG_COOKIE = "minyi_lang"
YEAR_S = 365 * 24 * 3600


def _cookie(name: str, value: str, max_age: int, secure: bool) -> str:
    parts = [f"{name}={value}", "Path=/", f"Max-Age={max_age}", "HttpOnly", "SameSite=Lax"]
    if secure:
        parts.append("Secure")
    return "; ".join(parts)


class PageMiddleware:
    """For every page: pick the locale (?lang=, then cookie), give the browser a CSRF cookie (headers: http_guard).
    The JSON API, Open311 and static files are not pages: they pass straight through."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or path.startswith(("/api", "/static", "/open311/")):
            await self.app(scope, receive, send)
            return
        cookies: dict[str, str] = {}
        for key, value in scope.get("headers", []):
            if key == b"cookie":
                cookies.update(cookie_parser(value.decode("latin-1")))
        query = dict(
            part.split("=", 1) for part in scope.get("query_string", b"").decode().split("&") if "=" in part
        )
        chosen = i18n.pick_locale(query.get("lang"))
        locale = chosen or i18n.pick_locale(cookies.get(LANG_COOKIE)) or i18n.DEFAULT_LOCALE
        token = i18n.set_locale(locale)
        secure = scope.get("scheme") == "https"
        new_cookies = []
        if chosen:
            new_cookies.append(_cookie(LANG_COOKIE, chosen, YEAR_S, secure))
        if not cookies.get(CSRF_COOKIE):
            secret = new_browser_secret()
            scope.setdefault("state", {})["csrf_secret"] = secret
            new_cookies.append(_cookie(CSRF_COOKIE, secret, YEAR_S, secure))

        async def send_with_cookies(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for c in new_cookies:
                    headers.append("set-cookie", c)
            await send(message)

        try:
            await self.app(scope, receive, send_with_cookies)
        finally:
            i18n.reset_locale(token)


assets_router = APIRouter(include_in_schema=False)
DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>minyi 民意 API</title>
<link rel="icon" href="/favicon.ico">
<link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css"></head>
<body><div id="swagger-ui" data-openapi-url="/openapi.json"></div>
<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/static/js/api-docs.js"></script></body></html>
"""


@assets_router.get("/docs")
def api_docs() -> HTMLResponse:
    """The interactive API documentation, from vendored Swagger UI files (no CDN, no inline script)."""
    return HTMLResponse(DOCS_PAGE)


@assets_router.get("/favicon.ico")
def favicon() -> FileResponse:
    """Browsers ask for /favicon.ico whatever the page says."""
    return FileResponse(
        STATIC / "favicon.ico", media_type="image/x-icon", headers={"cache-control": "max-age=86400"}
    )
