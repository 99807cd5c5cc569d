"""Limits on requests shared by every process of the app (sign-in failures, Open311 clients, public forms and the
JSON intake, the tracking lookup, subscriptions, a round's mailbox, consultations' joins and hearing
registrations), counted in `rate_counters`.

Each limit counts per identifier in a sliding window estimated from two fixed windows (`ratelimit/rules.py`).
An attempt reads the two counts first: a refused attempt writes nothing, so a flood cannot load the writer.
Under the limit, one atomic `INSERT … ON CONFLICT DO UPDATE … WHERE count + 1 <= cap RETURNING count` adds it
only while there is still room (a racing process may have taken the last place since the read), on SQLite and
PostgreSQL alike, so the count never passes the limit. The bucket is a keyed hash of the limit's name and the
identifier; the raw address, account or phone is never stored, and a citizen's address (an `anonymous` limit) is
first cut to one of 65,536 coarse buckets, so that not even the secret's holder can tell it from the table.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from minyi.accounts.actor import SYSTEM
from minyi.errors import RateLimited
from minyi.ratelimit.models import RateCounter
from minyi.ratelimit.rules import room, wait_after
from minyi.settings import get_settings
from minyi.uow import current_tx, end_read, write
from minyi.web.signing import keyed_digest

BOOKKEEPING = "rate counters: a limit on requests, not a change of the record"
Clock = Callable[[], float]


@dataclass(frozen=True)
class Limit:
    """At most `limit` events per identifier in any `window_s` seconds; `name` keeps limits apart. `anonymous`:
    the identifier is a citizen's address whose anonymity is the promise (the sealed mailbox, the public forms):
    it is counted in one of `ANONYMOUS_BUCKETS` coarse buckets, so that a counter stands for tens of thousands of
    addresses, never for one (a few strangers who share a bucket share its limit)."""

    name: str
    limit: int
    window_s: int
    anonymous: bool = False


ANONYMOUS_BUCKETS = 1 << 16


def bucket_of(limit: Limit, identifier: str) -> str:
    """The bucket's key: a keyed hash, so the table names no address, account or phone. Of an `anonymous` limit,
    the hash of a 16-bit digest of the identifier: even whoever holds the database and the app's secret, hashing
    every IPv4 address, learns only that the sender is one of some 65,000 (the secret alone matched an address
    to a letter to an inspection round, and to its hour). Remembered per process for the last few thousand
    (secret, limit, identifier): an address sending again pays no hash."""
    return _bucket(get_settings().secret_key, limit.name, limit.anonymous, identifier)


@lru_cache(maxsize=4096)
def _bucket(_secret: str, name: str, anonymous: bool, identifier: str) -> str:
    if anonymous:
        coarse = int(keyed_digest("rate-sender", identifier)[:8], 16) % ANONYMOUS_BUCKETS
        identifier = f"coarse:{coarse}"
    return keyed_digest("rate-counter", f"{name}\x00{identifier}")[:40]


class _Window:
    """Where `now` falls: the current window's start, the previous one's, and how far into the current."""

    def __init__(self, limit: Limit, now: float) -> None:
        self.start = int(now // limit.window_s) * limit.window_s
        self.previous = self.start - limit.window_s
        self.into = now - self.start


# One statement each, sent straight to the driver (the ORM's and Core's execution cost more than the limit's
# whole work): the paramstyle is the only difference between SQLite and psycopg.
_READ = "SELECT window_start, count FROM rate_counters WHERE bucket = :bucket AND window_start >= :since"
_UPSERT = (
    "INSERT INTO rate_counters (bucket, window_start, count, expires) VALUES (:bucket, :start, 1, :expires) "
    "ON CONFLICT (bucket, window_start) DO UPDATE SET count = rate_counters.count + 1 "
    "WHERE rate_counters.count + 1 <= :cap RETURNING count"
)
NO_CAP = 2**31 - 1


def _sql(statement: str, dialect: str) -> str:
    return re.sub(r":(\w+)", r"%(\1)s", statement) if dialect == "postgresql" else statement


_STATEMENTS = {(st, d): _sql(st, d) for st in (_READ, _UPSERT) for d in ("sqlite", "postgresql")}


def _run(dbapi: Any, dialect: str, statement: str, params: dict[str, Any]) -> list[Any]:
    cursor = dbapi.cursor()
    try:
        cursor.execute(_STATEMENTS.get((statement, dialect)) or _sql(statement, dialect), params)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def _counts(session: Session, bucket: str, w: _Window) -> tuple[int, int]:
    """The previous and current windows' counts. Outside a transaction, on a connection of the pool in autocommit
    (one statement's snapshot: no BEGIN, no COMMIT, and on PostgreSQL no round trips for them), so that the
    session opens no transaction of its own for the read."""
    params = {"bucket": bucket, "since": w.previous}
    if session.in_transaction():
        conn = session.connection()
        rows = _run(conn.connection, conn.dialect.name, _READ, params)
    else:
        engine = session.get_bind().engine
        raw = engine.raw_connection()
        driver, dialect = raw.driver_connection, engine.dialect.name
        try:
            if dialect == "postgresql":  # SQLite's connections are in autocommit already (`db.make_engine`)
                driver.autocommit = True  # type: ignore[union-attr]
            rows = _run(raw, dialect, _READ, params)
        finally:
            try:
                if dialect == "postgresql":
                    driver.autocommit = False  # type: ignore[union-attr]
            except Exception:
                raw.invalidate()  # a connection left in autocommit (or dead) never goes back to the pool
                raise
            finally:
                raw.close()
    found = dict((int(start), int(count)) for start, count in rows)
    return found.get(w.previous, 0), found.get(w.start, 0)


def _end_read(session: Session) -> None:
    if current_tx(session) is None:
        end_read(session)


def check_wait(session: Session, limit: Limit, identifier: str, *, clock: Clock = time.time) -> int:
    """Whole seconds until one more event of `identifier` fits (0: it fits now); reads only."""
    now = clock()
    w = _Window(limit, now)
    previous, current = _counts(session, bucket_of(limit, identifier), w)
    _end_read(session)
    wait = wait_after(limit.limit, limit.window_s, previous, current, w.into)
    return max(1, math.ceil(wait)) if wait > 0 else 0


def attempt(session: Session, limit: Limit, identifier: str, *, clock: Clock = time.time) -> int:
    """Count one event and return 0, or refuse it (not counted) with the whole seconds left to wait."""
    now = clock()
    w = _Window(limit, now)
    bucket = bucket_of(limit, identifier)
    previous, current = _counts(session, bucket, w)
    wait = wait_after(limit.limit, limit.window_s, previous, current, w.into)
    if wait > 0:  # refused on a read: nothing is written
        _end_read(session)
        return max(1, math.ceil(wait))
    if _add(session, limit, bucket, w, cap=room(limit.limit, limit.window_s, previous, w.into)):
        return 0
    return max(1, math.ceil(wait_after(limit.limit, limit.window_s, previous, current + 1, w.into)))


def add(session: Session, *counted: tuple[Limit, str], clock: Clock = time.time) -> None:
    """Count one event for each (limit, identifier), with no cap (failures that make later attempts wait), in
    one write."""
    now = clock()
    with write(session, SYSTEM, bookkeeping=BOOKKEEPING):
        for limit, identifier in counted:
            _add(session, limit, bucket_of(limit, identifier), _Window(limit, now), cap=None)


def release(session: Session, limit: Limit, identifier: str, *, clock: Clock = time.time) -> None:
    """Give back one event counted by `attempt` in the current window (a place taken for an attempt whose outcome
    turned out not to count: a sign-in that succeeded); nothing when the window has moved on since."""
    w = _Window(limit, clock())
    with write(session, SYSTEM, bookkeeping=BOOKKEEPING):
        session.execute(
            update(RateCounter)
            .where(RateCounter.bucket == bucket_of(limit, identifier), RateCounter.window_start == w.start,
                   RateCounter.count > 0)
            .values(count=RateCounter.count - 1)
        )  # fmt: skip


def clear(session: Session, limit: Limit, identifier: str) -> None:
    """Forget what was counted for `identifier` (a successful sign-in clears its failures); writes only if any."""
    bucket = bucket_of(limit, identifier)
    counted = session.scalar(select(RateCounter.bucket).where(RateCounter.bucket == bucket).limit(1))
    if counted is None:
        _end_read(session)
        return
    with write(session, SYSTEM, bookkeeping=BOOKKEEPING):
        session.execute(delete(RateCounter).where(RateCounter.bucket == bucket))


def _add(session: Session, limit: Limit, bucket: str, w: _Window, *, cap: float | None) -> bool:
    """One atomic upsert of the current window's count (refused past `cap`); True when it was counted."""
    with write(session, SYSTEM, bookkeeping=BOOKKEEPING):
        conn = session.connection()
        params = {"bucket": bucket, "start": w.start, "expires": w.start + 2 * limit.window_s,
                  "cap": NO_CAP if cap is None else cap}  # fmt: skip
        return bool(_run(conn.connection, conn.dialect.name, _UPSERT, params))


def refusal(wait: float, zh: str, en: str, **kw: Any) -> RateLimited:
    """The structured 429 with Retry-After in whole seconds (`zh`/`en` take `{wait}`)."""
    seconds = max(1, math.ceil(wait))
    error = RateLimited(zh.format(wait=seconds), en.format(wait=seconds), **kw)
    error.headers = {"Retry-After": str(seconds)}
    return error


def refuse_if_over(session: Session, limit: Limit, identifier: str, zh: str, en: str, **kw: Any) -> None:
    """Count one event or raise the structured 429 with Retry-After (`zh`/`en` take `{wait}`)."""
    wait = attempt(session, limit, identifier)
    if wait:
        raise refusal(wait, zh, en, **kw)


def sweep_expired(session: Session, now: float) -> int:
    """Remove the windows that no longer count (run by `minyi sweep`)."""
    with write(session, SYSTEM, bookkeeping=BOOKKEEPING):
        result = session.execute(delete(RateCounter).where(RateCounter.expires < int(now)))
    return int(getattr(result, "rowcount", 0) or 0)
