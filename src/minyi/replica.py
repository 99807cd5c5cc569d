"""The streaming read replica: public reads go to it while it is fresh enough, everything else to the primary.

The staleness bound is measured, not assumed. About once a second (`check_seconds`) the router samples the
primary's WAL insert position and the replica's replay position. A sample taken at time t with position p
says: everything committed before t lies at or before p. So when the replica has replayed past p, it holds
every commit made before t, and its staleness is the age of the newest such sample. While that age is over
`max_lag` (the replica fell behind, lost its stream, or does not answer) the public reads go to the primary.

Read-your-writes: a browser that has just written (any unsafe request answered below 400) is given a cookie
that sends its reads to the primary for `max_lag + check_seconds` seconds, longer than the replica may lag
while it is in use; the citizen's own tracking page and every write always use the primary.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

FRESH_COOKIE = "minyi_fresh"  # the unix time until which this browser reads the primary
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PRIMARY_LSN = text("SELECT pg_current_wal_insert_lsn() - '0/0'::pg_lsn")
REPLAY_LSN = text("SELECT pg_last_wal_replay_lsn() - '0/0'::pg_lsn")
LSN_PROBES = ("pg_current_wal_insert_lsn", "pg_last_wal_replay_lsn")  # the router's own statements


def fresh_as_of(samples: deque[tuple[float, int]], replayed: int | None) -> float | None:
    """The time of the newest sample (time, primary position) the replica has replayed past (pure)."""
    if replayed is None:
        return None
    best = None
    for at, position in samples:
        if position <= replayed:
            best = at
    return best


def reads_primary(cookie: str | None, now: float) -> bool:
    """Whether the read-your-writes cookie still sends this browser to the primary (pure)."""
    try:
        return cookie is not None and float(cookie) > now
    except ValueError:
        return False


class ReplicaRouter:
    """Chooses the session factory of a public read: the replica's while it is within the bound."""

    def __init__(
        self,
        primary: Engine,
        replica: Engine,
        max_lag: float,
        *,
        check_seconds: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.primary, self.replica, self.max_lag = primary, replica, max_lag
        self.check_seconds = check_seconds if check_seconds is not None else min(1.0, max_lag / 4)
        self.clock = clock
        self.factory: sessionmaker[Session] = sessionmaker(bind=replica, expire_on_commit=False)
        self._samples: deque[tuple[float, int]] = deque(maxlen=max(8, int(4 * max_lag / self.check_seconds)))
        self._fresh_as_of: float | None = None
        self._checked_at = float("-inf")
        self._lock = threading.Lock()

    @property
    def window(self) -> float:
        """How long a browser that wrote reads the primary (seconds)."""
        return self.max_lag + self.check_seconds

    def staleness(self) -> float:
        """How far behind the primary the replica may be now, in seconds (infinite: unknown or broken)."""
        now = self.clock()
        if now - self._checked_at >= self.check_seconds and self._lock.acquire(blocking=False):
            try:
                self._check(now)
            finally:
                self._lock.release()
        fresh = self._fresh_as_of
        return float("inf") if fresh is None else max(0.0, now - fresh)

    def usable(self) -> bool:
        """Whether a public read may go to the replica now."""
        return self.staleness() <= self.max_lag

    def _check(self, now: float) -> None:
        self._checked_at = now
        try:
            with self.primary.connect() as conn:
                position = int(conn.scalar(PRIMARY_LSN) or 0)
            self._samples.append((now, position))
            with self.replica.connect() as conn:
                replayed = conn.scalar(REPLAY_LSN)
        except Exception:  # a replica that does not answer is not used; the primary serves
            return
        fresh = fresh_as_of(self._samples, None if replayed is None else int(replayed))
        if fresh is not None and (self._fresh_as_of is None or fresh > self._fresh_as_of):
            self._fresh_as_of = fresh


class ReadYourWrites:
    """Pure ASGI: after a write that succeeded, send this browser's public reads to the primary for a while."""

    def __init__(self, app: ASGIApp, window: float) -> None:
        self.app = app
        self.window = window

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        secure = "; Secure" if scope.get("scheme") == "https" else ""

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] < 400:
                until = int(time.time() + self.window) + 1
                MutableHeaders(scope=message).append(
                    "set-cookie",
                    f"{FRESH_COOKIE}={until}; Max-Age={int(self.window) + 1}; Path=/; HttpOnly; "
                    f"SameSite=Lax{secure}",
                )
            await send(message)

        await self.app(scope, receive, send_with_cookie)
