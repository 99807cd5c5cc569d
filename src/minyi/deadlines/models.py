"""Tables of the deadlines slice: administrators' policies and calendar days, and the ladder's issued rungs."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from minyi.db import Base, UTCDateTime, utcnow


class DeadlinePolicyRow(Base):
    """An administrator's deadline policy; the most specific match for kind, channel and urgency wins."""

    __tablename__ = "deadline_policies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str | None] = mapped_column(String(20))
    channel: Mapped[str | None] = mapped_column(String(20))
    urgent: Mapped[bool | None] = mapped_column(Boolean)
    accept_days: Mapped[int] = mapped_column(Integer)
    sign_days: Mapped[int] = mapped_column(Integer)
    handle_days: Mapped[int] = mapped_column(Integer)
    rehandle_days: Mapped[int] = mapped_column(Integer)
    evaluation_days: Mapped[int] = mapped_column(Integer)
    extension_max_days: Mapped[int] = mapped_column(Integer)
    remind_before_days: Mapped[int] = mapped_column(Integer)
    accountability_after_days: Mapped[int] = mapped_column(Integer)


class CalendarDay(Base):
    """An administrator's override of the official calendar for one day (a local holiday, a make-up day)."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    workday: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(String(200))
    set_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class EscalationNotice(Base):
    """A rung of the ladder that was issued: 催办, 督办 or 通报/问责; unique per stage and round."""

    __tablename__ = "escalation_notices"
    __table_args__ = (UniqueConstraint("case_id", "stage", "round", "level"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    stage: Mapped[str] = mapped_column(String(40))
    round: Mapped[int] = mapped_column(Integer)
    level: Mapped[int] = mapped_column(Integer)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    issued_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(Text)
