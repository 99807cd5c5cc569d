"""Deadline arithmetic in working days: weekends, public holidays and make-up working days (调休). Pure."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import chinese_calendar

CHINA = ZoneInfo("Asia/Shanghai")
END_OF_DAY = time(23, 59, 59)


@lru_cache(maxsize=8192)
def _official_workday(day: date) -> bool:
    """The State Council's schedule (cached: deadlines ask about the same days again and again)."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:  # a year the library does not know yet: weekdays only
        return day.weekday() < 5


@lru_cache(maxsize=1)
def _library_years() -> frozenset[int]:
    """The years the chinese-calendar library has the State Council's schedule for."""
    known = set(chinese_calendar.constants.holidays) | set(chinese_calendar.constants.workdays)
    return frozenset(d.year for d in known)


@dataclass(frozen=True)
class WorkCalendar:
    """The official calendar (chinese-calendar) plus explicit overrides that always win."""

    extra_holidays: frozenset[date] = field(default_factory=frozenset)
    extra_workdays: frozenset[date] = field(default_factory=frozenset)
    tz: ZoneInfo = CHINA

    @classmethod
    def from_overrides(cls, holidays: Iterable[date] = (), workdays: Iterable[date] = ()) -> WorkCalendar:
        """A calendar with the given days forced to be holidays or working days."""
        hol, work = frozenset(holidays), frozenset(workdays)
        both = hol & work
        if both:
            raise ValueError(f"days both holiday and working day: {sorted(both)}")
        return cls(hol, work)

    @classmethod
    def from_file(cls, path: Path) -> WorkCalendar:
        """Read overrides from JSON: {"holidays": ["2027-01-01", ...], "workdays": ["2027-02-07", ...]}."""
        return cls.from_mapping(json.loads(Path(path).read_text(encoding="utf-8")))

    @classmethod
    def from_mapping(cls, raw: dict[str, list[str]]) -> WorkCalendar:
        """Overrides from a parsed schedule: {"holidays": [...], "workdays": [...], "note": "..."}."""
        unknown = set(raw) - {"holidays", "workdays", "note"}
        if unknown:
            raise ValueError(f"unknown keys in calendar file: {sorted(unknown)}")
        return cls.from_overrides(
            (date.fromisoformat(d) for d in raw.get("holidays", [])),
            (date.fromisoformat(d) for d in raw.get("workdays", [])),
        )

    def is_workday(self, day: date) -> bool:
        """True on a working day, make-up Saturdays and Sundays included."""
        if day in self.extra_workdays:
            return True
        if day in self.extra_holidays:
            return False
        return _official_workday(day)

    def covered_years(self) -> frozenset[int]:
        """Years whose official schedule is known: the library's, and those an administrator loaded (a loaded
        schedule always makes 1 January, 元旦, a holiday)."""
        loaded = {d.year for d in self.extra_holidays if (d.month, d.day) == (1, 1)}
        return _library_years() | frozenset(loaded)

    def covers(self, year: int) -> bool:
        """Whether the official schedule for this year is known (deadlines in other years are provisional)."""
        return year in self.covered_years()

    def next_workday(self, day: date) -> date:
        """The day itself if it is a working day, else the next working day."""
        for _ in range(400):
            if self.is_workday(day):
                return day
            day += timedelta(days=1)
        raise ValueError("no working day within 400 days")

    def add_workdays(self, start: date, n: int) -> date:
        """The n-th working day after `start` (the start day itself is not counted); n=0 means `start`'s own working day."""
        if n < 0:
            raise ValueError("n must not be negative")
        if n == 0:
            return self.next_workday(start)
        day, left = start, n
        while left:
            day += timedelta(days=1)
            if self.is_workday(day):
                left -= 1
        return day

    def workdays_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 when end <= start); O(years) via yearly prefix sums."""
        if end <= start:
            return 0
        if start.year == end.year:
            return _upto(self, end) - _upto(self, start)
        inner = sum(_year_prefix(self, y)[-1] for y in range(start.year + 1, end.year))
        return _year_prefix(self, start.year)[-1] - _upto(self, start) + inner + _upto(self, end)

    def local_date(self, instant: datetime) -> date:
        """The calendar day in China of an aware instant."""
        if instant.tzinfo is None:
            raise ValueError("naive datetime refused")
        return instant.astimezone(self.tz).date()

    def deadline(self, start: datetime, workdays: int) -> datetime:
        """End of the working day that is `workdays` working days after `start`, as aware UTC."""
        day = self.add_workdays(self.local_date(start), workdays)
        return datetime.combine(day, END_OF_DAY, tzinfo=self.tz).astimezone(UTC)

    def workdays_elapsed(self, start: datetime, end: datetime) -> int:
        """Working days from `start` to `end`, counted as deadlines are."""
        return self.workdays_between(self.local_date(start), self.local_date(end))


@lru_cache
def get_calendar(path: str | None = None) -> WorkCalendar:
    """The calendar in force: the official one with the administrator's override file, if any."""
    return WorkCalendar.from_file(Path(path)) if path else WorkCalendar()


@lru_cache(maxsize=256)
def _year_prefix(cal: WorkCalendar, year: int) -> tuple[int, ...]:
    """Working days from 1 January up to and including each day of `year` (index: day of the year - 1)."""
    counts, total, day = [], 0, date(year, 1, 1)
    while day.year == year:
        total += cal.is_workday(day)
        counts.append(total)
        day += timedelta(days=1)
    return tuple(counts)


def _upto(cal: WorkCalendar, day: date) -> int:
    return _year_prefix(cal, day.year)[day.timetuple().tm_yday - 1]
