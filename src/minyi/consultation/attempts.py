"""Attempt limits shared by every process of the app: tracking-code joins and hearing registrations, per address.

Counted in the shared `rate_counters` (`minyi.ratelimit`), like every other limit: a sliding window estimated
from two fixed windows, a refused attempt read-only and not counted, an allowed one a capped atomic upsert, so
racing workers never pass the limit. The key (`code:<address>`, `hearing:<address>`) is a citizen's address, so
the limit is `anonymous`: counted in one of 65,536 coarse buckets, never stored as the address (the old
`consultation_attempts` table kept it in clear). Success and failure count alike, so the limit itself tells
nothing about a code.
"""

from __future__ import annotations

import time

from sqlalchemy.orm import Session

from minyi.ratelimit.counters import Clock, Limit, attempt
from minyi.ratelimit.rules import wait_after

__all__ = ["SharedAttempts", "wait_after"]


class SharedAttempts:
    """Every attempt counted per key in `rate_counters`, in a sliding window; `attempt` returns 0 or the wait."""

    def __init__(self, limit: int, window_s: float, clock: Clock = time.time) -> None:
        self.limit, self.window_s, self._clock = limit, window_s, clock
        self._limit = Limit("consultation:attempts", limit, int(window_s), anonymous=True)

    def attempt(self, session: Session, key: str) -> int:
        """Count one attempt and return 0, or refuse it (not counted) with the whole seconds left to wait."""
        return attempt(session, self._limit, key, clock=self._clock)
