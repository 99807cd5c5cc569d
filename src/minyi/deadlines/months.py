"""Deadlines in calendar months (建议提案办理: three months from assignment, up to six with approval). Pure.

Working-day limits live in `rules.py`; suggestions and proposals are timed in calendar months instead, counted in
China time: the same day of the month `n` months later, the month's last day when that month is shorter
(31 January + 1 month = 28 or 29 February), and the deadline falls at the end of that day.
"""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from minyi.deadlines.workcal import CHINA, END_OF_DAY
from minyi.errors import InvalidTransition


@dataclass(frozen=True)
class MonthPolicy:
    """The month-based policy type: answer, extension ceiling, second answer, dispute window and the ladder."""

    name: str = "建议提案办理"
    answer_months: int = 3
    max_answer_months: int = 6
    second_answer_months: int = 1
    dispute_days: int = 7
    remind_before_days: int = 15
    public_notice_after_days: int = 30


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the last day of a shorter month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = _calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def month_deadline(start: datetime, months: int, tz: ZoneInfo = CHINA) -> datetime:
    """End of the China-time day `months` calendar months after `start`, as aware UTC."""
    if start.tzinfo is None:
        raise ValueError("naive datetime refused")
    if months < 0:
        raise ValueError("months must not be negative")
    day = add_months(start.astimezone(tz).date(), months)
    return datetime.combine(day, END_OF_DAY, tzinfo=tz).astimezone(UTC)


def day_deadline(start: datetime, days: int, tz: ZoneInfo = CHINA) -> datetime:
    """End of the China-time day `days` calendar days after `start`, as aware UTC (the dispute window)."""
    day = start.astimezone(tz).date() + timedelta(days=days)
    return datetime.combine(day, END_OF_DAY, tzinfo=tz).astimezone(UTC)


def check_answer_months(months: int, policy: MonthPolicy) -> None:
    """Refuse an answer period shorter than the standard one or longer than the approved ceiling."""
    if not policy.answer_months <= months <= policy.max_answer_months:
        raise InvalidTransition(
            f"办理期限须为{policy.answer_months}至{policy.max_answer_months}个月",
            f"the answer period must be {policy.answer_months} to {policy.max_answer_months} months",
            field="months",
        )


LADDER = {1: "reminder", 2: "supervision", 3: "public_notice"}
LADDER_ZH = {1: "催办", 2: "督办通知", 3: "公开通报"}


def ladder_level(now: datetime, due_at: datetime | None, policy: MonthPolicy) -> int:
    """The rung due at `now`: 1 reminder before the deadline, 2 supervision notice after it, 3 public notice."""
    if due_at is None:
        return 0
    if now >= due_at + timedelta(days=policy.public_notice_after_days):
        return 3
    if now > due_at:
        return 2
    if now >= due_at - timedelta(days=policy.remind_before_days):
        return 1
    return 0
