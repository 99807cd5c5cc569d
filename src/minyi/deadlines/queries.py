"""Deadline reads: the SQL form of "overdue" (the same rule as deadlines.rules.is_overdue) and calendar coverage."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from minyi.cases.models import Case
from minyi.deadlines.clock import calendar
from minyi.deadlines.rules import LATE_STATUSES


def overdue_filter(now: datetime) -> list[ColumnElement[bool]]:
    """WHERE clauses selecting the overdue cases, exactly as is_overdue decides one."""
    return [Case.status.in_(LATE_STATUSES), Case.due_at.is_not(None), Case.due_at < now]


def uncovered_years(session: Session, now: datetime) -> list[int]:
    """This year and next, where the calendar does not know the official schedule (deadlines there are 暂定)."""
    cal = calendar(session)
    year = cal.local_date(now).year
    return [y for y in (year, year + 1) if not cal.covers(y)]
