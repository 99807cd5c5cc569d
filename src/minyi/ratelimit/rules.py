"""The arithmetic of a sliding-window limit estimated from two fixed windows; pure.

A window's count is kept per fixed period; the sliding window at a moment weighs the previous period's count by
how much of it the window still covers, and adds the current one's (the estimate Cloudflare and nginx use).
"""

from __future__ import annotations


def wait_after(limit: int, window_s: float, previous: int, current: int, into: float) -> float:
    """Seconds until one more attempt fits (0: it fits now), `into` seconds into the current period."""
    if previous * (1 - into / window_s) + current + 1 <= limit:
        return 0.0
    if current + 1 <= limit and previous > 0:  # later in this period, as the previous one weighs less
        return window_s * (1 - (limit - current - 1) / previous) - into
    # in the next period, as this one weighs less (at its start it weighs whole)
    return (window_s - into) + window_s * max(0.0, 1 - (limit - 1) / max(current, 1))


def room(limit: int, window_s: float, previous: int, into: float) -> float:
    """The most the current period's count may reach now, given the previous period's (the upsert's cap)."""
    return limit - previous * (1 - into / window_s)
