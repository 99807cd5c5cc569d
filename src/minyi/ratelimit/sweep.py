"""The rate counters' part of `minyi sweep`: windows that no longer count are removed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from minyi.deadlines.sweep import on_sweep
from minyi.ratelimit.counters import sweep_expired


@on_sweep
def sweep_rate_counters(session: Session, now: datetime) -> dict[str, int]:
    """Delete the expired windows of every limit."""
    return {"rate_counters_removed": sweep_expired(session, now.timestamp())}
