"""Consultations' attempt limits (tracking-code joins, hearing registrations) are counted in the shared
`rate_counters`: every process counts against one limit, the address is never stored, on SQLite and PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, inspect, select
from sqlalchemy.orm import Session

from minyi.app import create_app
from minyi.cases.tracking import new_code
from minyi.consultation.attempts import SharedAttempts, wait_after
from minyi.consultation.rules import CODE_ATTEMPTS
from minyi.db import session_factory
from minyi.ratelimit.models import RateCounter
from tests.support.consultations import make_consultation
from tests.support.factories import make_org, submit

ADDRESS = "203.0.113.7"


def test_workers_racing_on_one_address_never_pass_the_limit(engine: Engine) -> None:
    limiters = [SharedAttempts(10, 600.0, clock=lambda: 6_000.0) for _ in range(4)]  # four "processes"

    def attempts(limiter: SharedAttempts) -> list[int]:
        with session_factory(engine)() as session:
            return [limiter.attempt(session, f"code:{ADDRESS}") for _ in range(6)]

    with ThreadPoolExecutor(4) as pool:
        waits = [w for ws in pool.map(attempts, limiters) for w in ws]
    assert waits.count(0) == 10 and all(w > 0 for w in waits if w)
    with session_factory(engine)() as session:
        assert session.scalar(select(func.sum(RateCounter.count))) == 10  # refused attempts are not counted
        assert limiters[0].attempt(session, "code:198.51.100.2") == 0  # another address is not held up


def test_the_window_slides(engine: Engine) -> None:
    now = [6_000.0]
    limiter = SharedAttempts(2, 600.0, clock=lambda: now[0])
    with session_factory(engine)() as session:
        assert [limiter.attempt(session, "k") for _ in range(3)][:2] == [0, 0]
        now[0] = 6_600.0 + 300  # half-way through the next period: the last one still weighs half (1)
        assert limiter.attempt(session, "k") == 0 and limiter.attempt(session, "k") > 0
        now[0] = 6_000.0 + 3 * 600  # two periods on: everything before is forgotten
        assert limiter.attempt(session, "k") == 0


def test_the_counts_keep_no_address_and_the_old_table_is_gone(engine: Engine) -> None:
    with session_factory(engine)() as session:
        for key in (f"code:{ADDRESS}", f"hearing:{ADDRESS}"):
            assert SharedAttempts(10, 600.0).attempt(session, key) == 0
        stored = repr(session.execute(select(RateCounter.bucket, RateCounter.count)).all())
    assert stored.count("1)") == 2 and ADDRESS not in stored and "code" not in stored
    assert "consultation_attempts" not in inspect(engine).get_table_names()


def test_tracking_code_guesses_over_http_are_refused_past_the_limit(engine: Engine, session: Session) -> None:
    org = make_org(session)
    east = submit(session, region_code="990102").tracking_code
    cid = make_consultation(session, org, kind="community", region_code="990102", requirement="resident").id
    url = f"/api/v1/consultations/{cid}/participants"
    with TestClient(create_app(engine), client=(ADDRESS, 40000)) as guesser:
        for _ in range(CODE_ATTEMPTS):
            assert guesser.post(url, json={"tracking_code": new_code()}).status_code == 403
        limited = guesser.post(url, json={"tracking_code": east})
        assert limited.status_code == 429 and limited.json()["error"]["field"] == "tracking_code"
        assert "查询码尝试过多" in limited.json()["error"]["message"]
    with TestClient(create_app(engine), client=("198.51.100.9", 40000)) as resident:
        assert resident.post(url, json={"tracking_code": east}).status_code == 201


def test_the_wait_is_until_one_more_attempt_fits() -> None:
    assert wait_after(10, 600.0, 0, 9, 0.0) == 0
    assert wait_after(10, 600.0, 0, 10, 100.0) == pytest.approx(500 + 600 * (1 - 9 / 10))
    assert wait_after(10, 600.0, 10, 0, 0.0) == pytest.approx(
        60.0
    )  # the previous period weighs 9 of 10 after a tenth
    assert wait_after(10, 600.0, 10, 0, 60.0) == 0
