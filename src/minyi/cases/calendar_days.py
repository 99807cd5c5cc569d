"""Administrators' changes to the working-day calendar: a local holiday, an extra working day, or undo."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, event, select
from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.cases.clock import forget_calendar
from minyi.cases.models import CalendarDay
from minyi.cases.rules import Role
from minyi.db import writes
from minyi.errors import Forbidden, InvalidInput

KINDS = ("holiday", "workday", "official")


@writes
def do_set_calendar_day(
    session: Session, actor: Actor, day: date, kind: str, note: str | None = None
) -> None:
    """Make `day` a holiday or a working day, or return it to the official calendar; new clocks follow it."""
    if actor.role != Role.admin:
        raise Forbidden("仅管理员可调整节假日", "administrators only")
    if kind not in KINDS:
        raise InvalidInput(
            "类型须为放假、上班或恢复官方安排", "kind must be holiday, workday or official", field="kind"
        )
    session.execute(delete(CalendarDay).where(CalendarDay.day == day))
    if kind != "official":
        session.add(CalendarDay(day=day, workday=kind == "workday", note=(note or "").strip()[:200] or None,
                                set_by=actor.user_id))  # fmt: skip
    session.flush()
    event.listen(session, "after_commit", lambda _s: forget_calendar(), once=True)  # caches follow the commit


def list_calendar_days(session: Session) -> list[CalendarDay]:
    """The administrators' overrides, by date."""
    return list(session.scalars(select(CalendarDay).order_by(CalendarDay.day)))
