"""Sending the outbox on PostgreSQL's job queue (procrastinate), after commit and every minute.

A unit of work that writes pending outbox rows adds one send job in its own transaction (procrastinate's defer
function on the same connection), so the job exists exactly when the rows do; a periodic job every minute is the
safety net (retries after back-off, a stopped SMTP server, rows a channel waited for). The worker that takes
understanding jobs (`minyi enrich --follow`) takes these too. A row is sent at most once at a time whatever the
number of workers: `send_batch` claims each row with a conditional update before sending it.
On SQLite none of this runs: the server's in-process thread (`notifications.worker`) sends the outbox.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from minyi.notifications.sender import send_due

if TYPE_CHECKING:
    import procrastinate

QUEUE = "notifications"
TASK = "minyi.send_notifications"
DEFER = text(
    "SELECT procrastinate_defer_jobs_v1(ARRAY[ROW(:queue, :task, 0, NULL, NULL, CAST(:args AS jsonb), NULL)"
    "::procrastinate_job_to_defer_v1])"
)
_engine: Engine | None = None


def uses_queue(session: Session) -> bool:
    """Whether the outbox is sent by the job queue here (PostgreSQL) or the in-process thread (SQLite)."""
    return session.get_bind().dialect.name == "postgresql"


def enqueue(session: Session) -> None:
    """Add one send job to the caller's transaction (call inside the unit of work that wrote outbox rows)."""
    session.execute(DEFER, {"queue": QUEUE, "task": TASK, "args": json.dumps({})})


def bind(engine: Engine) -> None:
    """The database this process's send tasks read and write."""
    global _engine
    _engine = engine


def send_notifications() -> int:
    """The task: send every message due now (idempotent: sent rows are never claimed again); how many sent."""
    return send_due(_engine).sent


def register(app: procrastinate.App) -> None:
    """Add the send task and its every-minute safety net to a procrastinate app."""
    app.task(name=TASK, queue=QUEUE)(send_notifications)

    @app.periodic(cron="* * * * *", periodic_id="send-notifications")
    @app.task(name="minyi.send_notifications_periodic", queue=QUEUE,
              queueing_lock="minyi.send_notifications_periodic")  # fmt: skip
    def periodic(timestamp: int) -> int:
        return send_notifications()
