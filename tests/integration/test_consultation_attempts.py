"""Attempt limits kept in the database: every process counts against one limit, on SQLite and PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine, func, select

from minyi.consultation.attempts import SharedAttempts, wait_after
from minyi.consultation.models import AttemptCount
from minyi.db import session_factory


def test_workers_racing_on_one_address_never_pass_the_limit(engine: Engine) -> None:
    limiters = [SharedAttempts(10, 600.0, clock=lambda: 6_000.0) for _ in range(4)]  # four "processes"

    def attempts(limiter: SharedAttempts) -> list[int]:
        with session_factory(engine)() as session:
            return [limiter.attempt(session, "code:203.0.113.7") for _ in range(6)]

    with ThreadPoolExecutor(4) as pool:
        waits = [w for ws in pool.map(attempts, limiters) for w in ws]
    assert waits.count(0) == 10 and all(w > 0 for w in waits if w)
    with session_factory(engine)() as session:
        assert session.scalar(select(func.sum(AttemptCount.count))) == 10  # refused attempts are not counted
        assert limiters[0].attempt(session, "code:198.51.100.2") == 0  # another address is not held up


def test_the_window_slides_and_old_periods_are_dropped(engine: Engine) -> None:
    now = [6_000.0]
    limiter = SharedAttempts(2, 600.0, clock=lambda: now[0])
    with session_factory(engine)() as session:
        assert [limiter.attempt(session, "k") for _ in range(3)][:2] == [0, 0]
        now[0] = 6_600.0 + 300  # half-way through the next period: the last one still weighs half (1)
        assert limiter.attempt(session, "k") == 0 and limiter.attempt(session, "k") > 0
        now[0] = 6_000.0 + 3 * 600  # two periods on: everything before is forgotten, and deleted
        assert limiter.attempt(session, "k") == 0
        assert session.scalar(select(func.count()).select_from(AttemptCount)) == 1


def test_the_wait_is_until_one_more_attempt_fits() -> None:
    assert wait_after(10, 600.0, 0, 9, 0.0) == 0
    assert wait_after(10, 600.0, 0, 10, 100.0) == pytest.approx(500 + 600 * (1 - 9 / 10))
    assert wait_after(10, 600.0, 10, 0, 0.0) == pytest.approx(
        60.0
    )  # the previous period weighs 9 of 10 after a tenth
    assert wait_after(10, 600.0, 10, 0, 60.0) == 0
