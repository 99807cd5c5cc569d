"""Reply quality at the moment of replying: is the answer complete, explained, more than an acknowledgement?"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from minyi.cases.models import Case


@dataclass(frozen=True)
class ReplyQuality:
    """The scores of one reply and, when weak, why."""

    overall: float
    complete: bool
    explained: bool
    weak: bool
    reasons: list[str] = field(default_factory=list)


def assess_reply(case: Case, text: str, now: datetime) -> ReplyQuality | None:
    """Score a reply against the case it answers (None when the insight slice is not installed)."""
    try:
        from minyi.insight.replies import score_reply, weak
    except ImportError:  # pragma: no cover - a minimal install without insight
        return None
    score = score_reply(case.body, text, case.registered_at, now)
    is_weak, reasons = weak(score)
    return ReplyQuality(round(score.overall, 3), score.complete, score.explained, is_weak, list(reasons))
