"""Working-day arithmetic on the official calendar, make-up days included."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from minyi.deadlines.workcal import WorkCalendar

cal = WorkCalendar()


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2025-01-26", True),  # Sunday made a working day before the 2025 Spring Festival
        ("2025-01-28", False),
        ("2025-02-04", False),
        ("2025-02-08", True),  # Saturday make-up day
        ("2025-09-28", True),  # Sunday make-up day before National Day 2025
        ("2025-10-08", False),
        ("2025-10-11", True),
        ("2026-02-14", True),  # Saturday make-up day before the 2026 Spring Festival
        ("2026-02-16", False),
        ("2026-02-23", False),
        ("2026-02-28", True),
        ("2026-09-20", True),  # Sunday make-up day before National Day 2026
        ("2026-10-05", False),
        ("2026-10-10", True),
        ("2026-11-28", False),  # an ordinary Saturday
    ],
)
def test_official_days(day: str, working: bool) -> None:
    assert cal.is_workday(date.fromisoformat(day)) is working


def test_adding_workdays_skips_the_spring_festival_and_counts_make_up_days() -> None:
    # Friday 13 Feb 2026: the next working day is Saturday 14 Feb (make-up), then the holiday to 23 Feb.
    assert cal.add_workdays(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert cal.add_workdays(date(2026, 2, 13), 2) == date(2026, 2, 24)
    assert cal.add_workdays(date(2026, 2, 13), 5) == date(2026, 2, 27)
    assert cal.add_workdays(date(2026, 2, 13), 6) == date(2026, 2, 28)


def test_fifteen_working_days_across_national_day_2025() -> None:
    # Received Friday 26 Sep 2025: 28 Sep (Sun) and 11 Oct (Sat) count, 1-8 Oct do not.
    assert cal.add_workdays(date(2025, 9, 26), 15) == date(2025, 10, 23)


def test_zero_days_means_the_same_working_day_or_the_next() -> None:
    assert cal.add_workdays(date(2026, 11, 27), 0) == date(2026, 11, 27)
    assert cal.add_workdays(date(2026, 11, 28), 0) == date(2026, 11, 30)


def test_deadline_is_end_of_day_in_china_as_utc() -> None:
    start = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)  # 09:00 in Beijing, a Friday
    due = cal.deadline(start, 1)  # Monday 30 Nov, 23:59:59 +08:00
    assert due == datetime(2026, 11, 30, 15, 59, 59, tzinfo=UTC)


def test_workdays_between_matches_adding() -> None:
    start = date(2026, 1, 5)
    end = cal.add_workdays(start, 60)
    assert cal.workdays_between(start, end) == 60


def test_overrides_from_a_file_win(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "cal.json"
    path.write_text(json.dumps({"holidays": ["2026-12-01"], "workdays": ["2026-12-05"]}))
    custom = WorkCalendar.from_file(path)
    assert not custom.is_workday(date(2026, 12, 1))
    assert custom.is_workday(date(2026, 12, 5))


def test_a_day_cannot_be_both_holiday_and_working_day() -> None:
    with pytest.raises(ValueError):
        WorkCalendar.from_overrides([date(2026, 12, 1)], [date(2026, 12, 1)])


def test_unknown_year_falls_back_to_weekdays_until_overridden() -> None:
    assert cal.is_workday(date(2035, 1, 8))  # a Monday
    assert not cal.is_workday(date(2035, 1, 6))  # a Saturday
    assert not cal.covers(2035)
    assert WorkCalendar.from_overrides([date(2035, 1, 1)]).covers(2035)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        cal.deadline(datetime(2026, 1, 1), 1)


def test_counting_working_days_agrees_with_walking_day_by_day_across_years() -> None:
    cal = WorkCalendar.from_overrides(holidays=[date(2025, 12, 31)], workdays=[date(2026, 1, 3)])

    def walked(a: date, b: date) -> int:
        n, d = 0, a
        while d < b:
            d += timedelta(days=1)
            n += cal.is_workday(d)
        return n

    pairs = [(date(2024, 12, 20), date(2027, 1, 10)), (date(2025, 12, 30), date(2026, 1, 5)),
             (date(2026, 5, 1), date(2026, 5, 1)), (date(2026, 5, 8), date(2026, 5, 1)),
             (date(2026, 9, 30), date(2026, 10, 9))]  # fmt: skip
    for a, b in pairs:
        assert cal.workdays_between(a, b) == walked(a, b), (a, b)
