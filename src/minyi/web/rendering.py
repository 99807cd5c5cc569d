"""The Jinja2 environment of the pages, `render`, and a route class that turns domain errors into pages."""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from minyi import locale as i18n
from minyi.deadlines.rules import is_overdue
from minyi.errors import MinyiError, NotAuthenticated
from minyi.settings import get_settings
from minyi.web import labels
from minyi.web.signing import CSRF_FIELD, csrf_token, follow_token

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def local_time(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A UTC instant shown in the platform's time zone."""
    if value is None:
        return ""
    return value.astimezone(ZoneInfo(get_settings().timezone)).strftime(fmt)


def local_date(value: datetime | None) -> str:
    """The calendar date of an instant in the platform's time zone."""
    return local_time(value, "%Y-%m-%d")


_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(value: object) -> Markup:
    """JSON that is safe inside a <script> element: <, >, & and the line separators are escaped."""
    text = json.dumps(value, ensure_ascii=False)
    return Markup("".join(_SCRIPT_UNSAFE.get(ch, ch) for ch in text))


@lru_cache
def environment() -> Environment:
    """One Jinja2 environment with autoescaping and gettext bound to the request's locale."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "xml"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        local_time=local_time, local_date=local_date, label=labels.label, script_json=script_json
    )
    env.globals.update(pick=i18n.pick, current_locale=i18n.current_locale, html_lang=i18n.HTML_LANG)
    env.globals.update(follow_token=follow_token)  # the "tell me" forms of notifications
    env.globals.update(is_overdue=is_overdue)  # the one meaning of "overdue" (deadlines.rules)
    return env


LANG_URL_PARAMS, LANG_URL_VALUE = 12, 200  # what the language switch carries over of the query string


def _lang_url(request: Request, lang: str) -> str:
    """The page in the other language, keeping a capped share of the query (never echoing a huge one back)."""
    params = {
        k: v
        for k, v in list(request.query_params.items())[:LANG_URL_PARAMS]
        if k != "lang" and len(k) <= 40 and len(v) <= LANG_URL_VALUE
    }
    params["lang"] = lang
    return f"{request.url.path}?{urlencode(params)}"


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, *, status: int = 200
) -> HTMLResponse:
    """Render a full page, or only its `content` block when htmx asks for a fragment (HX-Target set)."""
    ctx: dict[str, Any] = {
        "request": request,
        "csrf_field": CSRF_FIELD,
        "csrf_token": csrf_token(request),
        "lang_url": lambda lang: _lang_url(request, lang),
        "staff": getattr(request.state, "staff", None),
        "flash": getattr(request.state, "flash", None),
    }
    ctx.update(context or {})
    tmpl = environment().get_template(template)
    fragment = request.headers.get("hx-request") == "true" and request.headers.get("hx-target")
    if fragment and "fragment" in tmpl.blocks:
        html = "".join(tmpl.blocks["fragment"](tmpl.new_context(ctx)))
    else:
        html = tmpl.render(ctx)
    response = HTMLResponse(html, status_code=status)
    response.headers["Vary"] = "HX-Request, HX-Target, Cookie"
    return response


def redirect(url: str) -> RedirectResponse:
    """See-other after a successful form post (post/redirect/get)."""
    return RedirectResponse(url, status_code=303)


def error_page(request: Request, exc: MinyiError) -> Response:
    """The page for a refusal: sign-in for staff pages, else the message with the right status."""
    if isinstance(exc, NotAuthenticated) and request.url.path.startswith("/staff"):
        return redirect("/staff/login?" + urlencode({"next": request.url.path}))
    if getattr(exc, "redirect_to", None):  # e.g. a temporary password: to the page that resolves it
        return redirect(exc.redirect_to)  # type: ignore[attr-defined]
    message = i18n.pick(exc.message_zh, exc.message_en)
    page = render(request, "error.html", {"message": message, "status": exc.status}, status=exc.status)
    page.headers.update(getattr(exc, "headers", None) or {})  # a 429's Retry-After, as the API sends it
    return page


class PageRoute(APIRoute):
    """A route whose domain errors become HTML pages instead of the API's JSON."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except MinyiError as exc:
                return error_page(request, exc)

        return page_handler


def render_document(template: str, context: dict[str, Any], locale: str | None = None) -> str:
    """A whole document (the weekly brief, reports) rendered outside any request, in `locale` (default zh)."""
    token = i18n.set_locale(locale or i18n.DEFAULT_LOCALE)
    try:
        lang = i18n.HTML_LANG.get(i18n.current_locale(), "zh-CN")
        return environment().get_template(template).render({**context, "lang": lang})
    finally:
        i18n.reset_locale(token)
