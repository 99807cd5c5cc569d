"""Tables of the scoreboard's rollup: the figures per department and month of registration, and what each case
last added to them (so that a change adds only its difference, and a rebuild from the record can check them)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from minyi.db import Base

FIGURES = ("received", "replied", "on_time", "evaluated", "satisfied", "rehandled", "returned", "returns_sent_back",
           "escalated", "reply_days_sum", "reply_days_n", "group_demands", "households")  # fmt: skip


class ScoreboardMonth(Base):
    """One department's scoreboard figures over the cases registered in one local month."""

    __tablename__ = "scoreboard_months"

    department_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    received: Mapped[int] = mapped_column(Integer, default=0)
    replied: Mapped[int] = mapped_column(Integer, default=0)
    on_time: Mapped[int] = mapped_column(Integer, default=0)
    evaluated: Mapped[int] = mapped_column(Integer, default=0)
    satisfied: Mapped[int] = mapped_column(Integer, default=0)
    rehandled: Mapped[int] = mapped_column(Integer, default=0)
    returned: Mapped[int] = mapped_column(Integer, default=0)
    returns_sent_back: Mapped[int] = mapped_column(Integer, default=0)
    escalated: Mapped[int] = mapped_column(Integer, default=0)
    reply_days_sum: Mapped[int] = mapped_column(Integer, default=0)
    reply_days_n: Mapped[int] = mapped_column(Integer, default=0)
    group_demands: Mapped[int] = mapped_column(Integer, default=0)
    households: Mapped[int] = mapped_column(Integer, default=0)


class ScoreboardCase(Base):
    """What one case counts on the scoreboard now (its facts, written when they were added to the months; the
    working days to reply among them are stamped on the calendar in force when they were counted)."""

    __tablename__ = "scoreboard_cases"

    case_id: Mapped[int] = mapped_column(Integer, primary_key=True)  # no foreign key: a cache of the record
    facts: Mapped[str] = mapped_column(String(400))
