"""Reply quality at the moment of replying: is the answer complete, explained, more than an acknowledgement?"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from minyi.cases.models import Case
from minyi.deadlines.rules import clock_start
from minyi.deadlines.workcal import WorkCalendar


@dataclass(frozen=True)
class ReplyQuality:
    """The scores of one reply and, when weak, why."""

    overall: float
    complete: bool
    explained: bool
    weak: bool
    reasons: list[str] = field(default_factory=list)
    workdays: int | None = None


def assess_reply(case: Case, text: str, now: datetime, cal: WorkCalendar) -> ReplyQuality | None:
    """Score a reply against the case it answers, lateness counted on `cal` from the clock's start (None when the
    insight slice is not installed)."""
    try:
        from minyi.insight.replies import score_reply, weak
    except ImportError:  # pragma: no cover - a minimal install without insight
        return None
    start = clock_start(case.registered_at, case.accepted_at)
    score = score_reply(case.body, text, start, now, count_workdays=cal.workdays_elapsed)
    is_weak, reasons = weak(score)
    return ReplyQuality(
        round(score.overall, 3), score.complete, score.explained, is_weak, list(reasons), score.workdays
    )
