"""The rate limit of a round's mailbox: letters per sender and per round in a sliding window, shared by every
process of the app (`minyi.ratelimit`).

The mailbox is a sealed channel: no address is stored. A sender is counted under a keyed hash of the round and
their address (`rate_counters.bucket`), which names nobody without the app's secret and is removed by the sweep
two windows later. A per-round limit blunts a flood from many addresses. Refusals are the structured 429
(`minyi.errors.RateLimited`) with Retry-After.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from minyi.ratelimit.counters import Limit, refuse_if_over

LETTERS_PER_SENDER = 5  # per sender and window
LETTERS_PER_ROUND = 300  # per round and window, whoever sends them
WINDOW_S = 3600
TOO_MANY = ("来信过于频繁，请 {wait} 秒后再试", "too many letters: try again in {wait} s")


def check_mailbox(request: Any, session: Session, round_id: int) -> None:
    """Count one letter of this sender to this round, or refuse it (429) with the seconds to wait."""
    client = getattr(request, "client", None)
    address = client.host if client else "unknown"
    sender = Limit("mailbox:sender", LETTERS_PER_SENDER, WINDOW_S)
    refuse_if_over(session, sender, f"{round_id}\x00{address}", *TOO_MANY, field="body")
    refuse_if_over(
        session, Limit("mailbox:round", LETTERS_PER_ROUND, WINDOW_S), str(round_id), *TOO_MANY, field="body"
    )
