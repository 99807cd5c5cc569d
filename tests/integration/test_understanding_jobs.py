"""Understanding on procrastinate (PostgreSQL): the job commits with the intake, a worker killed mid-batch leaves
its job to the next, every case is understood exactly once, failures back off and end in the dead letters, which
stay (while finished jobs are cleaned up) until an administrator clears them."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from minyi.accounts.actor import SYSTEM
from minyi.app import create_app
from minyi.audit.models import AuditEntry
from minyi.cases.models import Case, CaseEvent
from minyi.db import make_engine, reset_caches, session_factory
from minyi.understanding import jobs
from minyi.uow import write
from tests.support.factories import PASSWORD, make_org, submit
from tests.support.pgreset import empty_tables
from tests.web.pages_support import csrf_of, sign_in

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """The session's PostgreSQL, emptied (job queue included), with understanding left to the workers."""
    monkeypatch.setenv("MINYI_UNDERSTANDING", "worker")
    reset_caches()
    engine = make_engine(pg_url)
    empty_tables(engine)
    yield engine
    engine.dispose()


def _jobs(engine: Engine) -> list[tuple[str, list[int], int]]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT status, args, attempts FROM procrastinate_jobs "
                                 "WHERE task_name = :t ORDER BY id"), {"t": jobs.TASK}).all()  # fmt: skip
    return [(r.status, r.args.get("case_ids"), r.attempts) for r in rows]


def _understand_events(s: Session) -> dict[int, int]:
    rows = s.execute(select(CaseEvent.case_id, func.count()).where(CaseEvent.action == "understand")
                     .group_by(CaseEvent.case_id)).all()  # fmt: skip
    return {r[0]: r[1] for r in rows}


def test_intake_enqueues_its_job_in_its_own_transaction_and_a_rollback_takes_both(pg: Engine) -> None:
    with session_factory(pg)() as s:
        make_org(s)
        case = submit(s)
        case_id = case.id
        assert case.understood_at is None
        with pytest.raises(RuntimeError), write(s, SYSTEM) as tx:
            jobs.enqueue(s, [case_id, 999])
            tx.record("test.enqueue", "case", case_id)
            raise RuntimeError("the intake fails after its job was added")
    assert _jobs(pg) == [("todo", [case_id], 0)]


def test_a_worker_killed_mid_batch_leaves_its_job_to_the_next_and_each_case_is_understood_once(
    pg: Engine, pg_url: str
) -> None:
    with session_factory(pg)() as s:
        make_org(s)
        ids = [submit(s, title=f"路灯坏了{i}", body=f"中山路{i}号门口的路灯坏了一周。").id for i in range(12)]
    code = "import sys; from minyi.db import make_engine; from minyi.understanding.jobs import run_worker; " \
           "run_worker(make_engine(sys.argv[1]), stalled_seconds=1.0)"  # fmt: skip
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    worker = subprocess.Popen([sys.executable, "-c", code, pg_url], env=env, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not any(status == "doing" for status, _, _ in _jobs(pg)):  # loading its models: mid-batch
            assert time.monotonic() < deadline and worker.poll() is None, "the worker never took a job"
            time.sleep(0.02)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    taken = [i for status, case_ids, _ in _jobs(pg) if status == "doing" for i in case_ids]
    assert taken, "the killed worker held a job"
    time.sleep(1.5)  # its heartbeat is now older than the stalled timeout

    async def from_inside_an_event_loop() -> None:  # as a caller with its own loop would
        jobs.run_worker(pg, wait=False, stalled_seconds=1.0)

    with ThreadPoolExecutor(1) as pool:  # a thread of our own: the suite's thread may already run a loop
        pool.submit(asyncio.run, from_inside_an_event_loop()).result()
    assert {status for status, _, _ in _jobs(pg)} == {"succeeded"}
    with session_factory(pg)() as s:
        assert _understand_events(s) == dict.fromkeys(ids, 1)
        assert s.scalar(select(func.count()).where(Case.understood_at.is_(None))) == 0
        jobs.bind(pg)
        assert jobs.understand_cases(ids) == 0  # a duplicated job finds nothing left to do
        assert _understand_events(s) == dict.fromkeys(ids, 1)


def test_a_failing_job_backs_off_and_ends_in_the_dead_letters_that_administrators_see(pg: Engine) -> None:
    with session_factory(pg)() as s:
        make_org(s)
        case_id = submit(s).id
    with pg.begin() as conn:  # a job whose work always fails (the case ids are not numbers)
        conn.execute(jobs.DEFER, {"queue": jobs.QUEUE, "task": jobs.TASK, "args": '{"case_ids": ["x"]}'})
    waits: list[float] = []
    for _ in range(jobs.MAX_ATTEMPTS + 2):
        jobs.run_worker(pg, wait=False)
        with pg.begin() as conn:
            row = conn.execute(text("SELECT status, scheduled_at, now() AS now FROM procrastinate_jobs "
                                    "WHERE args->'case_ids' = '[\"x\"]'")).one()  # fmt: skip
            if row.status == "failed":
                break
            waits.append((row.scheduled_at - row.now).total_seconds())
            conn.execute(text("UPDATE procrastinate_jobs SET scheduled_at = now() WHERE status = 'todo'"))
    assert row.status == "failed"
    assert len(waits) == jobs.MAX_ATTEMPTS - 1 and all(b > a for a, b in zip(waits, waits[1:], strict=False))
    with session_factory(pg)() as s:
        dead = jobs.dead_jobs(s)
    assert [(d.case_ids, d.attempts) for d in dead] == [([], jobs.MAX_ATTEMPTS)]
    assert isinstance(dead[0].failed_at, datetime)
    assert _jobs(pg)[0] == ("succeeded", [case_id], 1)  # the intake's own job ran once, beside it

    client = TestClient(create_app(pg))
    sign_in(client, "housing-handler", PASSWORD)
    assert client.get("/staff/jobs").status_code in (403, 404)
    client = TestClient(create_app(pg))
    sign_in(client, "admin", PASSWORD)
    page = client.get("/staff/jobs")
    assert page.status_code == 200 and f"#{dead[0].id}" in page.text and "（参数无效）" in page.text


def test_finished_jobs_are_removed_after_their_age_and_dead_letters_only_by_an_administrator(
    pg: Engine,
) -> None:
    with session_factory(pg)() as s:
        make_org(s)
        submit(s)
    jobs.run_worker(pg, wait=False)
    with pg.begin() as conn:
        conn.execute(jobs.DEFER, {"queue": jobs.QUEUE, "task": jobs.TASK, "args": '{"case_ids": ["x"]}'})
        conn.execute(text("UPDATE procrastinate_jobs SET status = 'failed' WHERE status = 'todo'"))
        conn.execute(text("UPDATE procrastinate_events SET at = now() - interval '3 hours'"))
    jobs.remove_finished_now(pg, hours=4)  # younger than the age kept: nothing goes
    assert [j[0] for j in _jobs(pg)] == ["succeeded", "failed"]
    jobs.remove_finished_now(pg, hours=2)
    assert [j[0] for j in _jobs(pg)] == ["failed"]  # the dead letter stays however old

    client = TestClient(create_app(pg))
    sign_in(client, "housing-handler", PASSWORD)
    assert client.post(
        "/staff/jobs/clear", data={"csrf_token": csrf_of(client.get("/staff").text)}
    ).status_code in (403, 404)
    assert [j[0] for j in _jobs(pg)] == ["failed"]
    client = TestClient(create_app(pg))
    sign_in(client, "admin", PASSWORD)
    page = client.get("/staff/jobs")
    assert "清除失败的任务" in page.text
    done = client.post("/staff/jobs/clear", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert done.status_code == 303 and _jobs(pg) == []
    with session_factory(pg)() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "jobs.clear_dead")).one()
        assert len(entry.data["job_ids"]) == 1
