"""What every HTTP request and response passes through: a body limit counted as it streams, control characters
refused in query strings and forms, and the security headers (`Edge`: one pure ASGI middleware, no per-request
task)."""

from __future__ import annotations

import logging
import re
import time
from os import urandom

from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from minyi.attachments.rules import MAX_FILE_BYTES, MAX_FILES
from minyi.errors import InvalidInput, MinyiError, TooLarge
from minyi.ops import logs, metrics

MAX_REQUEST_BYTES = 1_000_000
# the routes that take files: a larger body, and no raw control-byte scan of the multipart body (files are binary;
# their text fields are refused control characters by the schemas, the files are checked by minyi.attachments)
UPLOAD_ROUTES = re.compile(
    r"^(/submit|/report|/report/evidence|/staff/consultations/import-docx|/api/v1/cases/[^/]+/attachments|/api/v1/reports/[^/]+/evidence"
    r"|/suggestions/mine/\d+/files|/staff/suggestions/\d+/answers/\d+/files"
    r"|/api/v1/proposer/suggestions/\d+/attachments|/api/v1/staff/suggestions/\d+/answers/\d+/attachments)$"
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


class Edge:
    """Everything every request passes through, as one pure-ASGI layer (one send and one receive wrapper instead
    of four stacked middlewares): the request id and access line (`minyi.ops.logs`), the metrics, the body limit
    and control characters (counted as it streams, Content-Length or chunked: a 413 at the limit; control characters in the query string
    and in url-encoded forms: a 422), HEAD answered for every GET route (run as GET, sent without the body) and
    the same security headers on every response (pages, API, static files, errors)."""

    def __init__(self, app: ASGIApp, limit: int = MAX_REQUEST_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        given = headers.get(b"x-request-id", b"").decode("latin-1")
        rid = given if logs.GOOD_ID.fullmatch(given) else urandom(16).hex()
        token = logs.request_id.set(rid)
        start = time.perf_counter()
        method = scope["method"]
        head, https = method == "HEAD", scope.get("scheme") == "https"
        status, started = 500, False

        async def edge_send(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                status, started = message["status"], True
                out = MutableHeaders(scope=message)
                out["x-request-id"] = rid
                for name, value in SECURITY_HEADERS.items():
                    out.setdefault(name, value)
                if https:
                    out.setdefault("strict-transport-security", "max-age=31536000")
            elif head and message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        try:
            refused = self._refuse_early(scope, headers)
            if refused is not None:
                await refusal(refused)(scope, receive, edge_send)
                return
            try:
                inner = {**scope, "method": "GET"} if head else scope
                await self.app(inner, self._counted(scope, receive, headers), edge_send)
            except BodyRefused as exc:
                if started:
                    raise
                await refusal(exc.error)(scope, receive, edge_send)
        finally:
            seconds = time.perf_counter() - start
            route = logs.route_of(scope)
            metrics.observe_request(method, route, status, seconds)
            if logs.access.isEnabledFor(logging.INFO):  # the line is built only when someone reads it
                # the route template only: raw paths carry secrets (tracking codes, report receipts)
                logs.access.info("request", extra={"method": method, "route": route, "status": status,
                                                   "ms": round(seconds * 1000, 2)})  # fmt: skip
            logs.request_id.reset(token)

    def _limit(self, scope: Scope, headers: dict[bytes, bytes]) -> tuple[int, bool]:
        """The body limit of this request, and whether it is a file upload (multipart to an upload route)."""
        upload = headers.get(b"content-type", b"").startswith(b"multipart/form-data") and bool(
            UPLOAD_ROUTES.match(scope.get("path", ""))
        )
        return (max(self.limit, UPLOAD_MAX_BYTES) if upload else self.limit), upload

    def _refuse_early(self, scope: Scope, headers: dict[bytes, bytes]) -> MinyiError | None:
        length = headers.get(b"content-length", b"")
        limit, _ = self._limit(scope, headers)
        if length.isdigit() and int(length) > limit:
            return too_large(limit)
        if QUERY_CONTROL.search(scope.get("query_string", b"")) or QUERY_CONTROL.search(
            scope.get("raw_path") or b""
        ):
            return control_characters("query")
        return None

    def _counted(self, scope: Scope, receive: Receive, headers: dict[bytes, bytes]) -> Receive:
        content_type = headers.get(b"content-type", b"")
        limit, upload = self._limit(scope, headers)
        # url-encoded forms: encoded or raw control characters; multipart forms other than uploads: raw ones
        scan = (
            ENCODED_CONTROL
            if content_type.startswith(b"application/x-www-form-urlencoded")
            else RAW_CONTROL
            if content_type.startswith(b"multipart/form-data") and not upload
            else None
        )
        seen, tail = 0, b""

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

        return counted_receive
