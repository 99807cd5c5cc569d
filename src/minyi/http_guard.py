"""What every HTTP request and response passes through: a body limit counted as it streams, control characters
refused in query strings and forms, and the security headers (pure ASGI middleware: no per-request task)."""

from __future__ import annotations

import re

from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from minyi.attachments.rules import MAX_FILE_BYTES, MAX_FILES
from minyi.errors import InvalidInput, MinyiError, TooLarge

MAX_REQUEST_BYTES = 1_000_000
# the routes that take files: a larger body, and no raw control-byte scan of the multipart body (files are binary;
# their text fields are refused control characters by the schemas, the files are checked by minyi.attachments)
UPLOAD_ROUTES = re.compile(
    r"^(/submit|/report|/report/evidence|/api/v1/cases/[^/]+/attachments|/api/v1/reports/[^/]+/evidence)$"
)
UPLOAD_MAX_BYTES = MAX_FILES * MAX_FILE_BYTES + MAX_REQUEST_BYTES
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}
# percent-encoded control characters (tab, line feed and carriage return stay allowed in forms), NUL and DEL
ENCODED_CONTROL = re.compile(rb"%(?:0[0-8bBcCeEfF]|1[0-9a-fA-F]|7[fF])|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
RAW_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
QUERY_CONTROL = re.compile(rb"%(?:0[0-9a-fA-F]|1[0-9a-fA-F]|7[fF])|[\x00-\x1f\x7f]")


class BodyRefused(HTTPException):
    """Raised from `receive` when the body passes the limit or a form carries control characters."""

    def __init__(self, error: MinyiError) -> None:
        super().__init__(error.status, error.message_en)
        self.error = error


def too_large(limit: int = MAX_REQUEST_BYTES) -> TooLarge:
    return TooLarge("请求过大", f"request body over {limit} bytes")


def control_characters(field: str) -> InvalidInput:
    return InvalidInput("不能包含控制字符", "control characters are not allowed", field=field)


def refusal(error: MinyiError) -> JSONResponse:
    """The structured error body, with the security headers (also used where no middleware runs after it)."""
    return JSONResponse(error.body(), status_code=error.status, headers=SECURITY_HEADERS)


class BodyGuard:
    """Count body bytes as they arrive (Content-Length or chunked) and stop reading at the limit with a 413;
    refuse control characters in the query string and in url-encoded forms with a 422."""

    def __init__(self, app: ASGIApp, limit: int = MAX_REQUEST_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        length = headers.get(b"content-length", b"")
        content_type = headers.get(b"content-type", b"")
        upload = content_type.startswith(b"multipart/form-data") and bool(
            UPLOAD_ROUTES.match(scope.get("path", ""))
        )
        limit = max(self.limit, UPLOAD_MAX_BYTES) if upload else self.limit
        if length.isdigit() and int(length) > limit:
            await refusal(too_large(limit))(scope, receive, send)
            return
        if QUERY_CONTROL.search(scope.get("query_string", b"")) or QUERY_CONTROL.search(
            scope.get("raw_path") or b""
        ):
            await refusal(control_characters("query"))(scope, receive, send)
            return
        # url-encoded forms: encoded or raw control characters; multipart forms other than uploads: raw ones
        scan = (
            ENCODED_CONTROL
            if content_type.startswith(b"application/x-www-form-urlencoded")
            else RAW_CONTROL
            if content_type.startswith(b"multipart/form-data") and not upload
            else None
        )
        seen = 0
        tail = b""
        started = False

        async def counted_receive() -> Message:
            nonlocal seen, tail
            message = await receive()
            if message["type"] == "http.request":
                chunk = message.get("body", b"")
                seen += len(chunk)
                if seen > limit:
                    raise BodyRefused(too_large(limit))
                if scan is not None and scan.search(tail + chunk):
                    raise BodyRefused(control_characters("form"))
                tail = chunk[-2:]
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except BodyRefused as exc:
            if started:
                raise
            await refusal(exc.error)(scope, receive, send)


class SecurityHeaders:
    """Give every response (pages, API, static files, errors) the same security headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if https:
                    headers.setdefault("strict-transport-security", "max-age=31536000")
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HeadAsGet:
    """Answer HEAD for every GET route: run it as GET and send the headers without the body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)
