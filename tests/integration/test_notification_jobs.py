"""Notifications on procrastinate (PostgreSQL): the send job commits with the event's outbox rows, a worker sends
them through SMTP, two workers never send one row twice, a stopped SMTP server delays but loses nothing."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine, select, text, update

from minyi.accounts.actor import SYSTEM
from minyi.cases.tracking import display_code
from minyi.db import make_engine, reset_caches, session_factory
from minyi.notifications import jobs as notify_jobs
from minyi.notifications.models import Notification
from minyi.understanding import jobs
from minyi.uow import write
from tests.support.factories import make_org, submit
from tests.support.mailstub import free_port, smtp_server, use_settings
from tests.support.pgreset import empty_tables

pytestmark = pytest.mark.postgres
EMAIL = "wang@example.com"


@pytest.fixture
def pg(pg_url: str) -> Iterator[Engine]:
    """The session's PostgreSQL, emptied (job queue included)."""
    reset_caches()
    engine = make_engine(pg_url)
    empty_tables(engine)
    yield engine
    engine.dispose()


def _send_jobs(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.scalars(text("SELECT status FROM procrastinate_jobs WHERE task_name = :t ORDER BY id"),
                                 {"t": notify_jobs.TASK}))  # fmt: skip


def _rows(engine: Engine) -> list[Notification]:
    with session_factory(engine)() as s:
        return list(s.scalars(select(Notification).order_by(Notification.id)))


def test_a_case_event_defers_its_send_job_in_its_transaction_and_a_worker_sends_the_mail(
    pg: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    with smtp_server() as (inbox, port):
        use_settings(monkeypatch, smtp_url=f"smtp://127.0.0.1:{port}", smtp_from="minyi@example.org")
        with session_factory(pg)() as s:
            make_org(s)
            code = submit(s, contact={"email": EMAIL, "notify_by": "email"}).tracking_code
            with pytest.raises(RuntimeError), write(s, SYSTEM) as tx:  # a rolled-back write defers nothing
                notify_jobs.enqueue(s)
                tx.record("test.enqueue", "case", None)
                raise RuntimeError("rolled back")
        assert _send_jobs(pg) == ["todo"]  # one job, committed with the outbox row
        jobs.run_worker(pg, wait=False)
        (body,) = inbox.bodies(EMAIL)
        assert display_code(code) in body
    assert _send_jobs(pg) == ["succeeded"]
    assert [r.status for r in _rows(pg) if r.channel == "email"] == ["sent"]


def test_two_workers_never_send_one_row_twice(pg: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    with smtp_server() as (inbox, port):
        use_settings(monkeypatch, smtp_url=f"smtp://127.0.0.1:{port}")
        with session_factory(pg)() as s:
            make_org(s)
            for i in range(8):
                submit(s, contact={"email": f"p{i}@example.com", "notify_by": "email"})
        assert len(_send_jobs(pg)) == 8

        def one_worker() -> None:
            jobs.run_worker(pg, wait=False)

        with ThreadPoolExecutor(3) as pool:  # two workers and a cron `minyi notify send` at once
            done = [
                pool.submit(one_worker),
                pool.submit(one_worker),
                pool.submit(notify_jobs.send_notifications),
            ]
            for f in done:
                f.result()
        emails = [r for r in _rows(pg) if r.channel == "email"]
        assert len(emails) == 8 and {r.status for r in emails} == {"sent"}
        assert sorted(m["To"] for m in inbox.messages) == sorted(f"p{i}@example.com" for i in range(8))
    assert set(_send_jobs(pg)) == {"succeeded"}


def test_a_stopped_smtp_server_delays_but_loses_nothing(pg: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    port = free_port()
    use_settings(monkeypatch, smtp_url=f"smtp://127.0.0.1:{port}")
    with session_factory(pg)() as s:
        make_org(s)
        code = submit(s, contact={"email": EMAIL, "notify_by": "email"}).tracking_code
    jobs.run_worker(pg, wait=False)  # the server is down: the job ends, the row waits for its next try
    (row,) = [r for r in _rows(pg) if r.channel == "email"]
    assert row.status == "pending" and row.attempts == 1 and row.last_error
    with smtp_server(port) as (inbox, _):
        with pg.begin() as conn:  # its back-off has passed; the every-minute safety net comes round
            conn.execute(update(Notification).values(next_attempt_at=Notification.created_at))
            conn.execute(notify_jobs.DEFER, {"queue": notify_jobs.QUEUE, "task": "minyi.send_notifications_periodic",
                                             "args": '{"timestamp": 0}'})  # fmt: skip
        jobs.run_worker(pg, wait=False)
        (body,) = inbox.bodies(EMAIL)
        assert display_code(code) in body
    (row,) = [r for r in _rows(pg) if r.channel == "email"]
    assert row.status == "sent" and row.attempts == 2
