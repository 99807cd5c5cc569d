"""The weekly understanding figures count each understood case once, in the week it was registered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from minyi.learning.drift import weekly_understanding
from tests.support.factories import make_org, submit

NOW = datetime(2026, 3, 30, 2, 0, tzinfo=UTC)


def test_cases_fall_in_the_week_they_were_registered(session: Session) -> None:
    make_org(session)
    ages = [1, 2, 9, 30, 200]  # days before NOW; the last is outside the twelve weeks
    cases = [
        submit(session, now=NOW - timedelta(days=d), body=f"小区电梯坏了第{d}天，物业不修。") for d in ages
    ]
    weeks = weekly_understanding(session, NOW)
    assert len(weeks) == 12 and weeks[-1].end == NOW
    assert [w.cases for w in weeks][-1] == 2 and weeks[-2].cases == 1 and weeks[-5].cases == 1
    assert sum(w.cases for w in weeks) == 4
    assert sum(w.triage for w in weeks) == sum(int(c.needs_triage) for c in cases[:4])
