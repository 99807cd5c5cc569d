"""Working days between two moments, by the project calendar when present, else chinese_calendar, else Mon–Fri."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

CHINA = timezone(timedelta(hours=8))


def _is_workday(day: date) -> bool:
    try:
        from minyi.workcal import is_workday  # type: ignore[attr-defined]

        return bool(is_workday(day))
    except (ImportError, AttributeError, TypeError):
        pass
    try:
        import chinese_calendar

        return bool(chinese_calendar.is_workday(day))
    except (ImportError, NotImplementedError, ValueError):
        return day.weekday() < 5


def workdays_between(start: datetime, end: datetime) -> int:
    """Working days after the day of `start` up to and including the day of `end` (China local dates)."""
    a, b = start.astimezone(CHINA).date(), end.astimezone(CHINA).date()
    if b <= a:
        return 0
    days = 0
    d = a + timedelta(days=1)
    while d <= b:
        days += _is_workday(d)
        d += timedelta(days=1)
    return days
