"""The record the risk list reads: per department and week, counts only (a few grouped queries per week)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from minyi.accountability.risk import History, Risk, Week, risk_list
from minyi.cases.models import Case
from minyi.deadlines.rules import LATE_STATUSES
from minyi.inspection.models import RectificationItem

WEEKS = 10


def _grouped(
    session: Session, column: Any, lo: datetime, hi: datetime, *sums: Any
) -> dict[int, tuple[int, ...]]:
    stmt = (
        select(Case.department_id, func.count(), *(func.sum(case((s, 1), else_=0)) for s in sums))
        .where(column >= lo, column < hi, Case.department_id.is_not(None))
        .group_by(Case.department_id)
    )
    return {r[0]: tuple(int(x or 0) for x in r[1:]) for r in session.execute(stmt)}


def histories(session: Session, now: datetime, weeks: int = WEEKS) -> list[History]:
    """Each department's last `weeks` weeks (oldest first) and its slipping rectification items."""
    late = or_(
        Case.replied_at > Case.handling_due_at,
        and_(Case.replied_at.is_(None), Case.status.in_(LATE_STATUSES), Case.handling_due_at < now),
    )
    data: dict[int, list[Week]] = defaultdict(lambda: [Week() for _ in range(weeks)])
    for i in range(weeks):
        lo, hi = now - timedelta(weeks=weeks - i), now - timedelta(weeks=weeks - i - 1)
        parts: dict[int, dict[str, int]] = defaultdict(dict)
        for dept, (n, k) in _grouped(session, Case.handling_due_at, lo, hi, late).items():
            parts[dept].update(due=n, late=k)
        for dept, (n, k) in _grouped(
            session, Case.evaluated_at, lo, hi, Case.evaluation == "unsatisfied"
        ).items():
            parts[dept].update(evaluated=n, unsatisfied=k)
        for dept, (n, k) in _grouped(
            session, Case.registered_at, lo, hi, Case.repeat_of_case_id.is_not(None)
        ).items():
            parts[dept].update(registered=n, repeats=k)
        for dept, n in _collective(session, lo, hi).items():
            parts[dept]["collective"] = n
        for dept, values in parts.items():
            data[dept][i] = Week(**values)
    slipping = _slipping(session)
    empty = [Week() for _ in range(weeks)]
    return [
        History(d, tuple(data.get(d, empty)), slipping.get(d, 0)) for d in sorted(set(data) | set(slipping))
    ]


def _collective(session: Session, lo: datetime, hi: datetime) -> dict[int, int]:
    """Matters that three or more people raised in the week (merged under one case, or repeats of one)."""
    matter = func.coalesce(Case.master_case_id, Case.repeat_of_case_id)
    inner = (
        select(Case.department_id.label("dept"), matter.label("matter"))
        .where(
            Case.registered_at >= lo,
            Case.registered_at < hi,
            matter.is_not(None),
            Case.department_id.is_not(None),
        )
        .group_by(Case.department_id, matter)
        .having(func.count() >= 2)  # two more people besides the first
        .subquery()
    )
    return {
        r[0]: int(r[1]) for r in session.execute(select(inner.c.dept, func.count()).group_by(inner.c.dept))
    }


def _slipping(session: Session) -> dict[int, int]:
    """Rectification items past their deadline, or reminded and still not reported, by responsible unit."""
    stmt = (
        select(RectificationItem.unit_id, func.count())
        .where(
            RectificationItem.status != "accepted",
            or_(
                RectificationItem.overdue_at.is_not(None),
                and_(
                    RectificationItem.reminded_at.is_not(None),
                    RectificationItem.status.in_(["open", "rejected"]),
                ),
            ),
        )
        .group_by(RectificationItem.unit_id)
    )
    return {r[0]: int(r[1]) for r in session.execute(stmt)}


def current_risks(session: Session, now: datetime) -> list[Risk]:
    """The risk list as the record stands now."""
    return risk_list(histories(session, now))
