"""Regenerating the published reports on a schedule (`annual.schedule`): hourly, a periodic task of PostgreSQL's
job queue (procrastinate, taken by the worker of `minyi enrich --follow`); on a single SQLite process, a thread
of the server (on by default there, off in tests; `MINYI_REPORT_WORKER`). A run prints only what changed."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine

from minyi.ops.loop import Loop
from minyi.ops.loop import in_process as wanted

if TYPE_CHECKING:
    import procrastinate

log = logging.getLogger(__name__)
__all__ = [
    "CRON",
    "QUEUE",
    "TASK",
    "bind",
    "queue_wanted",
    "regenerate",
    "register",
    "start",
    "stop",
    "wanted",
]
QUEUE = "reports"
TASK = "minyi.regenerate_reports"
CRON = "23 * * * *"  # hourly, away from the hour's other jobs
INTERVAL_SECONDS = 3600.0  # the thread's period (SQLite)
_engine: Engine | None = None
_loop = Loop("minyi-reports", INTERVAL_SECONDS)


def bind(engine: Engine) -> None:
    """The database this process's regeneration reads."""
    global _engine
    _engine = engine


def regenerate(engine: Engine | None = None) -> dict[str, Any]:
    """One run: what was printed, what was current, what failed (plain data for logs and the command)."""
    from minyi.annual.schedule import regenerate_published
    from minyi.db import session_factory

    with session_factory(engine or _engine)() as session:
        done = regenerate_published(session)
    if done.printed or done.failed:
        log.info("published reports: %d printed, %d failed", len(done.printed), len(done.failed))
    return {"printed": done.printed, "unchanged": done.unchanged, "failed": done.failed}


def register(app: procrastinate.App) -> None:
    """Add the hourly regeneration to a procrastinate app (one run at a time, whatever the workers)."""

    @app.periodic(cron=CRON, periodic_id="regenerate-reports")
    @app.task(name=TASK, queue=QUEUE, queueing_lock=TASK)
    def periodic(timestamp: int) -> dict[str, Any]:
        from minyi.settings import get_settings

        settings = get_settings()
        if not queue_wanted(settings.report_worker, settings.env):
            return {"skipped": True}
        return regenerate()


def queue_wanted(setting: bool | None, env: str) -> bool:
    """The queue's task runs unless configured off; by default off in tests (a worker there prints nothing)."""
    return setting if setting is not None else env != "test"


def _step(engine: Engine) -> None:
    from minyi.annual.publish import NoBrowser

    try:
        regenerate(engine)
    except NoBrowser as exc:
        log.warning("published reports not regenerated: %s", exc)


def start(engine: Engine) -> None:
    """Start the regeneration thread once per process (SQLite)."""
    _loop.start(lambda: _step(engine))


def stop() -> None:
    """Stop the thread (server shutdown); a print under way finishes first, up to a while."""
    _loop.stop()
