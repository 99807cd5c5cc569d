"""The record the risk list reads: per department and week, counts only (a few grouped queries per week)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from minyi.accountability.risk import History, Risk, Week, risk_list
from minyi.cases.models import Case
from minyi.db import per_database
from minyi.deadlines.rules import LATE_STATUSES
from minyi.inspection.models import RectificationItem

WEEKS = 10


def _week(at: datetime, start: datetime, weeks: int) -> int | None:
    i = int((at - start).total_seconds() // (7 * 86400))
    return i if 0 <= i < weeks else None


def histories(session: Session, now: datetime, weeks: int = WEEKS) -> list[History]:
    """Each department's last `weeks` weeks (oldest first) and its slipping rectification items (four queries)."""
    start = now - timedelta(weeks=weeks)
    late = or_(
        Case.replied_at > Case.handling_due_at,
        and_(Case.replied_at.is_(None), Case.status.in_(LATE_STATUSES), Case.handling_due_at < now),
    )
    counts: dict[Any, list[dict[str, int]]] = defaultdict(lambda: [defaultdict(int) for _ in range(weeks)])
    dept = Case.department_id.is_not(None)
    rows: Any = session.execute(select(Case.department_id, Case.handling_due_at, late).where(
        dept, Case.handling_due_at >= start, Case.handling_due_at < now))  # fmt: skip
    for d, at, is_late in rows:
        if (i := _week(at, start, weeks)) is not None:
            counts[d][i]["due"] += 1
            counts[d][i]["late"] += int(bool(is_late))
    rows = session.execute(select(Case.department_id, Case.evaluated_at, Case.evaluation).where(
        dept, Case.evaluated_at >= start, Case.evaluated_at < now))  # fmt: skip
    for d, at, evaluation in rows:
        if (i := _week(at, start, weeks)) is not None:
            counts[d][i]["evaluated"] += 1
            counts[d][i]["unsatisfied"] += int(evaluation == "unsatisfied")
    matters: dict[tuple[Any, int, Any], int] = defaultdict(int)
    matter = func.coalesce(Case.master_case_id, Case.repeat_of_case_id)
    rows = session.execute(select(Case.department_id, Case.registered_at, Case.repeat_of_case_id, matter).where(
        dept, Case.registered_at >= start, Case.registered_at < now))  # fmt: skip
    for d, at, repeat_of, m in rows:
        if (i := _week(at, start, weeks)) is not None:
            counts[d][i]["registered"] += 1
            counts[d][i]["repeats"] += int(repeat_of is not None)
            if m is not None:
                matters[(d, i, m)] += 1
    for (d, i, _m), n in matters.items():
        if n >= 2:  # two more people besides the first: a collective matter
            counts[d][i]["collective"] += 1
    slipping = _slipping(session)
    empty = [Week() for _ in range(weeks)]
    data = {d: [Week(**w) for w in ws] for d, ws in counts.items()}
    return [
        History(d, tuple(data.get(d, empty)), slipping.get(d, 0)) for d in sorted(set(data) | set(slipping))
    ]


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


@per_database(600.0)
def board_risks(session: Session, now: datetime) -> list[Risk]:
    """The risk list for the supervisor board, computed at most every ten minutes (weekly trends move slowly)."""
    return current_risks(session, now)
