"""Attempt limits shared by every process of the app: tracking-code joins and hearing registrations, per address.

Each attempt is counted in the database (`consultation_attempts`: key, period, count), so two workers, or two
machines behind one address, count against one limit. The limit is a sliding window estimated from two fixed
periods (the previous one's count weighted by how much of it the window still covers, plus the current one's),
and the count moves by one atomic upsert that refuses past the limit: a refused attempt is not counted and
nothing else is written. Success and failure count alike, so the limit itself tells nothing about a code.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from minyi.accounts.actor import SYSTEM
from minyi.consultation.models import AttemptCount
from minyi.ratelimit.rules import wait_after
from minyi.uow import write

__all__ = ["SharedAttempts", "wait_after"]

BOOKKEEPING = "attempt counters: a limit on requests, not a change of the record"
KEY_MAX = 120


def _upsert(dialect: str) -> Any:
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(AttemptCount)


class SharedAttempts:
    """Every attempt counted per key in the database, in a sliding window; `attempt` returns 0 or the wait."""

    def __init__(self, limit: int, window_s: float, clock: Callable[[], float] = time.time) -> None:
        self.limit, self.window_s, self._clock = limit, window_s, clock

    def attempt(self, session: Session, key: str) -> int:
        """Count one attempt and return 0, or refuse it (not counted) with the whole seconds left to wait."""
        now = self._clock()
        period = int(now // self.window_s)
        into = now - period * self.window_s
        key = key[:KEY_MAX]
        counts = dict(session.execute(select(AttemptCount.period, AttemptCount.count).where(
            AttemptCount.key == key, AttemptCount.period >= period - 1)).all())  # fmt: skip
        previous, current = counts.get(period - 1, 0), counts.get(period, 0)
        wait = wait_after(self.limit, self.window_s, previous, current, into)
        if wait > 0:  # refused on a read: nothing is written, so a flood of attempts cannot load the writer
            return max(1, math.ceil(wait))
        # under the limit when read: the upsert adds one only while it still is (a racing worker may have taken
        # the last place since), so the count never passes the limit
        cap = self.limit - previous * (1 - into / self.window_s)
        with write(session, SYSTEM, bookkeeping=BOOKKEEPING):
            conn = session.connection()
            conn.execute(delete(AttemptCount).where(AttemptCount.period < period - 1))
            stmt = _upsert(conn.dialect.name).values(key=key, period=period, count=1)
            stmt = stmt.on_conflict_do_update(
                index_elements=[AttemptCount.key, AttemptCount.period],
                set_={"count": AttemptCount.count + 1},
                where=AttemptCount.count + 1 <= cap,
            ).returning(AttemptCount.count)
            if conn.execute(stmt).first() is not None:
                return 0
        return max(1, math.ceil(wait_after(self.limit, self.window_s, previous, current + 1, into)))
