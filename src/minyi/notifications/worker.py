"""The in-process sender: a thread of the server that sends the outbox within seconds (for a single SQLite
process, as `make run` starts it); on PostgreSQL the job queue sends it (`notifications.jobs`)."""

from __future__ import annotations

from sqlalchemy import Engine

from minyi.notifications.sender import send_due
from minyi.ops.loop import Loop
from minyi.ops.loop import in_process as wanted

POLL_SECONDS = 5.0
_loop = Loop("minyi-notify", POLL_SECONDS)
__all__ = ["start", "stop", "wake", "wanted"]


def wake() -> None:
    """Something was written to the outbox: send it now rather than at the next poll."""
    _loop.wake()


def start(engine: Engine) -> None:
    """Start the sender thread once per process."""
    _loop.start(lambda: send_due(engine))


def stop() -> None:
    """Stop the thread (server shutdown)."""
    _loop.stop()
