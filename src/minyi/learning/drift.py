"""Drift of the text understanding: by week, the share of new cases sent to triage and the mean topic
confidence; a week that jumps away from the weeks before it is flagged for the supervisor board.

A week is flagged when it has at least MIN_CASES cases and its triage share moves from the mean of the
previous BASELINE_WEEKS weeks by more than max(MIN_SHARE_JUMP, 3 binomial standard errors), or its mean
confidence moves by more than MIN_CONF_JUMP: a new kind of message, a broken intake form, or a model
promoted by mistake all show here first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.cases.models import Case

WEEKS = 12
BASELINE_WEEKS = 4
MIN_CASES = 20
MIN_SHARE_JUMP = 0.10
MIN_CONF_JUMP = 0.10


@dataclass
class Week:
    """One seven-day window ending at `end` (exclusive), newest last."""

    start: datetime
    end: datetime
    cases: int = 0
    triage: int = 0
    confidence_sum: float = 0.0
    confidence_n: int = 0
    flag: str | None = None  # "triage" or "confidence" when the week jumps

    @property
    def triage_share(self) -> float | None:
        return self.triage / self.cases if self.cases else None

    @property
    def mean_confidence(self) -> float | None:
        return self.confidence_sum / self.confidence_n if self.confidence_n else None


def flag_jumps(weeks: list[Week]) -> list[Week]:
    """Mark each week whose triage share or mean confidence jumps from the previous weeks. Pure."""
    for i, week in enumerate(weeks):
        before = [w for w in weeks[max(0, i - BASELINE_WEEKS) : i] if w.cases >= MIN_CASES]
        if week.cases < MIN_CASES or not before:
            continue
        base_share = sum(w.triage for w in before) / sum(w.cases for w in before)
        error = math.sqrt(max(base_share * (1 - base_share), 1e-6) / week.cases)
        share = week.triage_share or 0.0
        if abs(share - base_share) > max(MIN_SHARE_JUMP, 3 * error):
            week.flag = "triage"
            continue
        confs = [w.mean_confidence for w in before if w.mean_confidence is not None]
        mean = week.mean_confidence
        if mean is not None and confs and abs(mean - sum(confs) / len(confs)) > MIN_CONF_JUMP:
            week.flag = "confidence"
    return weeks


def weekly_understanding(session: Session, now: datetime, weeks: int = WEEKS) -> list[Week]:
    """Seven-day windows back from `now`, oldest first, with their triage share and mean confidence."""
    out = [
        Week(now - timedelta(days=7 * (i + 1)), now - timedelta(days=7 * i)) for i in reversed(range(weeks))
    ]
    rows = session.execute(
        select(Case.registered_at, Case.needs_triage, Case.topic_confidence).where(
            Case.registered_at >= out[0].start, Case.registered_at < now, Case.understood_at.is_not(None)
        )
    ).all()
    for at, triage, conf in rows:
        index = weeks - 1 - int((now - at) / timedelta(days=7))
        week = out[min(max(index, 0), weeks - 1)]
        week.cases += 1
        week.triage += int(bool(triage))
        if conf is not None:
            week.confidence_sum += float(conf)
            week.confidence_n += 1
    return flag_jumps(out)
