"""The in-process sender: a thread of the server that sends the outbox within seconds (for a single SQLite
process, as `make run` starts it); on PostgreSQL the job queue sends it (`notifications.jobs`)."""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine

from minyi.notifications.sender import send_due

log = logging.getLogger(__name__)
POLL_SECONDS = 5.0
_wakeup = threading.Event()
_stop = threading.Event()
_lock = threading.Lock()
_thread: threading.Thread | None = None


def wake() -> None:
    """Something was written to the outbox: send it now rather than at the next poll."""
    _wakeup.set()


def _run(engine: Engine) -> None:
    while not _stop.is_set():
        try:
            send_due(engine)
        except Exception:  # pragma: no cover - logged; the next poll tries again, nothing is lost
            log.exception("sending notifications failed")
        _wakeup.wait(POLL_SECONDS)
        _wakeup.clear()


def start(engine: Engine) -> None:
    """Start the sender thread once per process."""
    global _thread
    with _lock:
        if _thread is not None and _thread.is_alive():
            return
        _stop.clear()
        _thread = threading.Thread(target=_run, args=(engine,), name="minyi-notify", daemon=True)
        _thread.start()


def stop() -> None:
    """Stop the thread (server shutdown)."""
    global _thread
    with _lock:
        _stop.set()
        _wakeup.set()
        if _thread is not None:
            _thread.join(timeout=15)
        _thread = None


def wanted(engine: Engine, setting: bool | None, env: str) -> bool:
    """On unless configured off; by default on for SQLite outside tests."""
    if setting is not None:
        return setting
    return engine.dialect.name == "sqlite" and env != "test"
