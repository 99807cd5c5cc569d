"""Understanding on PostgreSQL's job queue (procrastinate): a job per intake transaction, workers anywhere.

The job row is inserted by `enqueue` inside the intake's own transaction (procrastinate's defer function, called
on the same connection), so a case is never committed without its job nor a job without its case. Any number of
`minyi enrich --follow` processes on any machines take jobs; a case is understood exactly once because
`do_understand` writes only cases still marked not understood, under a row lock (a retried or duplicated job
finds nothing left to do). A failing job is retried with exponential back-off and, after `MAX_ATTEMPTS`, stays
`failed`: the dead letters an administrator sees at /staff/jobs. A worker killed mid-batch stops sending its
heartbeat; its jobs are put back by `recover_stalled` (at every worker's start and every minute).
On SQLite none of this runs: the in-process worker (`understanding.worker`) stays.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from minyi.annual import jobs as report_jobs
from minyi.db import session_factory
from minyi.notifications import jobs as notify_jobs
from minyi.settings import get_settings

if TYPE_CHECKING:  # procrastinate is imported only where jobs run (it costs the web server's start-up time)
    import procrastinate

log = logging.getLogger(__name__)
QUEUE = "understanding"
TASK = "minyi.understand_cases"
MAX_ATTEMPTS = 6  # waits of 2, 4, 8, 16, 32 s between them
BACK_OFF = 2  # seconds, doubled at each attempt
STALLED_SECONDS = 30.0  # a worker silent this long is dead; its jobs are put back
HEARTBEAT_SECONDS = 5.0
DEFER = text(
    "SELECT procrastinate_defer_jobs_v1(ARRAY[ROW(:queue, :task, 0, NULL, NULL, CAST(:args AS jsonb), NULL)"
    "::procrastinate_job_to_defer_v1])"
)
_engine: Engine | None = None  # the database the tasks of this process write to


def uses_queue(session: Session) -> bool:
    """Whether understanding goes through the job queue here (PostgreSQL) or the in-process worker (SQLite)."""
    return session.get_bind().dialect.name == "postgresql"


def enqueue(session: Session, case_ids: list[int]) -> None:
    """Add one understanding job for `case_ids` to the caller's transaction (call inside a unit of work)."""
    if case_ids:
        session.execute(DEFER, {"queue": QUEUE, "task": TASK, "args": json.dumps({"case_ids": case_ids})})


def understand_cases(case_ids: list[int]) -> int:
    """The task: understand the cases of one job that are not understood yet (idempotent)."""
    from minyi.understanding.worker import do_understand

    with session_factory(_engine)() as session:
        return do_understand(session, [int(i) for i in case_ids])


def conninfo(engine: Engine) -> str:
    """The libpq URL of a SQLAlchemy engine (procrastinate talks to psycopg directly)."""
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def make_app(engine: Engine) -> procrastinate.App:
    """A procrastinate app on `engine`'s database with minyi's tasks."""
    import procrastinate

    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo(engine)))
    retry = procrastinate.RetryStrategy(max_attempts=MAX_ATTEMPTS - 1, exponential_wait=BACK_OFF)
    app.task(name=TASK, queue=QUEUE, retry=retry)(understand_cases)
    notify_jobs.register(app)
    report_jobs.register(app)

    @app.periodic(cron="* * * * *", periodic_id="recover")
    @app.task(name="minyi.recover_stalled", queue=QUEUE, queueing_lock="minyi.recover_stalled")
    async def recover(timestamp: int) -> int:
        return await recover_stalled(app)

    @app.periodic(cron="17 * * * *", periodic_id="cleanup")
    @app.task(name="minyi.remove_old_jobs", queue=QUEUE, queueing_lock="minyi.remove_old_jobs")
    async def cleanup(timestamp: int) -> None:
        await remove_finished(app)

    return app


async def remove_finished(app: procrastinate.App, hours: int | None = None) -> None:
    """Delete the jobs that finished (succeeded, cancelled, aborted) more than `hours` ago (the setting
    `jobs_keep_hours` by default), on every queue; failed jobs stay on the dead-letter list until an
    administrator clears them (`understanding.actions.do_clear_dead_jobs`)."""
    keep = hours if hours is not None else get_settings().jobs_keep_hours
    await app.job_manager.delete_old_jobs(nb_hours=keep, include_cancelled=True, include_aborted=True)


def remove_finished_now(engine: Engine, hours: int | None = None) -> None:
    """`remove_finished` from synchronous code (tests, a one-off clean-up)."""
    app = make_app(engine)

    async def main() -> None:
        async with app.open_async():
            await remove_finished(app, hours)

    _run_in_own_loop(main)


async def recover_stalled(app: procrastinate.App, seconds: float = STALLED_SECONDS) -> int:
    """Put back the jobs of workers that stopped sending heartbeats (killed mid-batch): how many."""
    stalled = list(await app.job_manager.get_stalled_jobs(task_name=TASK, seconds_since_heartbeat=seconds))
    for job in stalled:
        await app.job_manager.retry_job(job)
    if stalled:
        log.warning("put back %d understanding job(s) of stalled workers", len(stalled))
    return len(stalled)


def bind(engine: Engine) -> None:
    """The database this process's tasks write to."""
    global _engine
    _engine = engine
    notify_jobs.bind(engine)
    report_jobs.bind(engine)


def run_worker(engine: Engine, *, wait: bool = True, stalled_seconds: float = STALLED_SECONDS) -> None:
    """Take understanding jobs until stopped (or, with wait=False, until none is ready)."""
    bind(engine)
    app = make_app(engine)

    async def main() -> None:
        async with app.open_async():
            await recover_stalled(app, stalled_seconds)
            await app.run_worker_async(
                queues=[QUEUE, notify_jobs.QUEUE, report_jobs.QUEUE], wait=wait, name="minyi-understanding",
                update_heartbeat_interval=HEARTBEAT_SECONDS, stalled_worker_timeout=stalled_seconds,
                install_signal_handlers=wait,
            )  # fmt: skip

    _run_in_own_loop(main)


def _run_in_own_loop(main: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """asyncio.run, in a thread of its own when this thread already runs an event loop (a caller's).

    Never inside an `except` block: the loop would run with that exception as `sys.exc_info()`, and asgiref's
    `sync_to_async` (procrastinate's sync tasks) re-raises what it finds there in the task's thread, so the one
    exception's traceback grew by a frame per job, keeping every job's objects: the worker's memory grew
    ~6 KB per job without bound (issue 15, bench/soak_worker_memory.py --pg)."""
    try:
        asyncio.get_running_loop()
        in_loop = True
    except RuntimeError:
        in_loop = False
    if not in_loop:
        asyncio.run(main())
        return
    failed: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(main())
        except BaseException as exc:  # handed to the caller below
            failed.append(exc)

    thread = threading.Thread(target=run, name="minyi-jobs")
    thread.start()
    thread.join()
    if failed:
        raise failed[0]


@dataclass(frozen=True)
class DeadJob:
    """An understanding job that failed every attempt."""

    id: int
    case_ids: list[int]
    attempts: int
    failed_at: datetime | None


def dead_jobs(session: Session, limit: int = 100) -> list[DeadJob]:
    """The dead-letter list: failed understanding jobs, newest first (none on SQLite)."""
    if not uses_queue(session):
        return []
    rows = session.execute(
        text(
            "SELECT j.id, j.args, j.attempts, max(e.at) AS failed_at FROM procrastinate_jobs j "
            "LEFT JOIN procrastinate_events e ON e.job_id = j.id "
            "WHERE j.status = 'failed' AND j.task_name = :task GROUP BY j.id ORDER BY j.id DESC LIMIT :limit"
        ),
        {"task": TASK, "limit": limit},
    ).all()
    return [DeadJob(r.id, _ids(r.args), r.attempts, r.failed_at) for r in rows]


def _ids(args: Any) -> list[int]:
    found = (args or {}).get("case_ids") if isinstance(args, dict) else None
    return [int(i) for i in found if str(i).isdigit()] if isinstance(found, list) else []
