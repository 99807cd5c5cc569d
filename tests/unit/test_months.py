"""Calendar-month deadlines (建议提案: three months, up to six, second answer one month) across month and year ends."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from minyi.deadlines.months import (
    MonthPolicy,
    add_months,
    check_answer_months,
    day_deadline,
    ladder_level,
    month_deadline,
)
from minyi.deadlines.workcal import CHINA
from minyi.errors import InvalidTransition


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2027, 1, 31), 1, date(2027, 2, 28)),  # shorter month: its last day
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
        (date(2027, 3, 31), 3, date(2027, 6, 30)),
        (date(2027, 11, 30), 3, date(2028, 2, 29)),  # over the year end into a leap February
        (date(2027, 12, 31), 1, date(2028, 1, 31)),
        (date(2027, 10, 15), 6, date(2028, 4, 15)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),
        (date(2027, 3, 15), 0, date(2027, 3, 15)),
        (date(2027, 3, 31), -1, date(2027, 2, 28)),
        (date(2027, 1, 15), -1, date(2026, 12, 15)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_months_last(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_month_deadline_is_the_end_of_the_china_day_as_utc() -> None:
    # 31 Jan 2027 20:00 UTC is already 1 Feb in China: three months later is 1 May, end of that day
    start = datetime(2027, 1, 31, 20, 0, tzinfo=UTC)
    due = month_deadline(start, 3)
    assert due.tzinfo is not None
    assert due.astimezone(CHINA).date() == date(2027, 5, 1)
    assert due == datetime(2027, 5, 1, 15, 59, 59, tzinfo=UTC)


def test_month_deadline_across_the_year_end() -> None:
    start = datetime(2027, 12, 31, 2, 0, tzinfo=UTC)  # 31 Dec in China
    assert month_deadline(start, 1).astimezone(CHINA).date() == date(2028, 1, 31)
    assert month_deadline(start, 2).astimezone(CHINA).date() == date(2028, 2, 29)


def test_month_deadline_refuses_naive_and_negative() -> None:
    with pytest.raises(ValueError, match="naive"):
        month_deadline(datetime(2027, 1, 1), 3)  # noqa: DTZ001
    with pytest.raises(ValueError):
        month_deadline(datetime(2027, 1, 1, tzinfo=UTC), -1)


def test_day_deadline_counts_calendar_days_in_china() -> None:
    start = datetime(2027, 12, 28, 17, 0, tzinfo=UTC)  # 29 Dec in China
    assert day_deadline(start, 7).astimezone(CHINA).date() == date(2028, 1, 5)


def test_answer_period_between_three_and_six_months() -> None:
    policy = MonthPolicy()
    for months in (3, 4, 6):
        check_answer_months(months, policy)
    for months in (2, 7):
        with pytest.raises(InvalidTransition):
            check_answer_months(months, policy)


def test_ladder_reminds_before_the_deadline_then_supervises_then_notifies_in_public() -> None:
    policy = MonthPolicy(remind_before_days=15, public_notice_after_days=30)
    due = datetime(2027, 5, 1, 15, 59, 59, tzinfo=UTC)
    assert ladder_level(datetime(2027, 4, 1, tzinfo=UTC), due, policy) == 0
    assert ladder_level(datetime(2027, 4, 20, tzinfo=UTC), due, policy) == 1
    assert ladder_level(datetime(2027, 5, 2, tzinfo=UTC), due, policy) == 2
    assert ladder_level(datetime(2027, 6, 5, tzinfo=UTC), due, policy) == 3
    assert ladder_level(datetime(2027, 6, 5, tzinfo=UTC), None, policy) == 0
