"""Working days between two moments: the project calendar (minyi.workcal), else chinese_calendar, else Mon–Fri."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

CHINA = timezone(timedelta(hours=8))


def _fallback_is_workday(day: date) -> bool:
    try:
        import chinese_calendar

        return bool(chinese_calendar.is_workday(day))
    except (ImportError, NotImplementedError, ValueError):
        return day.weekday() < 5


def workdays_between(start: datetime, end: datetime) -> int:
    """Working days after the (China local) day of `start` up to and including the day of `end`."""
    try:
        from minyi.workcal import get_calendar

        return get_calendar().workdays_elapsed(start, end)
    except (ImportError, NotImplementedError, ValueError):
        pass
    a, b = start.astimezone(CHINA).date(), end.astimezone(CHINA).date()
    days, d = 0, a + timedelta(days=1)
    while d <= b:
        days += _fallback_is_workday(d)
        d += timedelta(days=1)
    return days
