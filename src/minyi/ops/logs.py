"""Structured JSON logs, one object a line, each carrying the id of the request it belongs to."""

from __future__ import annotations

import atexit
import json
import logging
import logging.handlers
import queue
import re
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, TextIO

from starlette.types import Scope

request_id: ContextVar[str | None] = ContextVar("minyi_request_id", default=None)
# a caller's (or the proxy's) id is kept only when it is short and plain: it goes into every log line
GOOD_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
access = logging.getLogger("minyi.access")
STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
NOT_EXTRA = STANDARD | {"request_id"}  # noted by `Handoff`, written once above


class JsonFormatter(logging.Formatter):
    """{"ts", "level", "logger", "msg", "request_id", ...extra fields, "exc"} on one line."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        rid = getattr(record, "request_id", None) or request_id.get()
        if rid:
            out["request_id"] = rid
        out.update({k: v for k, v in vars(record).items() if k not in NOT_EXTRA and not k.startswith("_")})
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


class Handoff(logging.handlers.QueueHandler):
    """Hands each record to the writer thread as it is: the request's thread only notes the request id (a
    context variable the writer thread cannot see), and neither formats nor writes nor flushes."""

    def prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        if "request_id" not in record.__dict__:
            record.__dict__["request_id"] = request_id.get()
        if record.args:  # the message as it reads now (its arguments may change before the writer runs)
            record.msg, record.args = record.getMessage(), None
        return record


_listener: logging.handlers.QueueListener | None = None


def _stop_writer() -> None:
    """Write what is still queued, then stop the writer thread (at exit, or before configuring again)."""
    global _listener
    if _listener is not None:
        _listener.stop()
        _listener = None


def configure_logging(level: str = "INFO", *, json_lines: bool = True, stream: TextIO | None = None) -> None:
    """Send minyi's logs (and uvicorn's errors) to `stream` (stderr) as JSON lines (or plain text for a terminal), formatted
    and written by one background thread (`Handoff`), flushed at exit."""
    global _listener
    _stop_writer()
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(
        JsonFormatter() if json_lines else logging.Formatter("%(levelname)s %(name)s %(message)s")
    )
    lines: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
    _listener = logging.handlers.QueueListener(lines, handler)
    _listener.start()
    atexit.unregister(_stop_writer)
    atexit.register(_stop_writer)
    root = logging.getLogger()
    root.handlers[:] = [Handoff(lines)]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True


def route_of(scope: Scope) -> str:
    """The route template that answered (bounded label set), never the raw path.

    FastAPI (0.16x) keeps an included router's routes as they were declared, so `scope["route"].path` lacks the
    prefix it was included under (`POST /api/v1/cases` would read `/cases`, the same label as a page route); the
    full template is on the effective route context FastAPI records in `scope["fastapi"]`."""
    effective = scope.get("fastapi", {}).get("effective_route_context")
    full = getattr(effective, "path_format", None)
    if full:
        return str(full)
    route = scope.get("route")
    path = getattr(route, "path", None)
    return str(path) if path else "unmatched"
