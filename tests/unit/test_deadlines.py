"""Pure deadline rules: one function for all clock columns, coverage of the calendar, one meaning of overdue."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from minyi.deadlines.actions import check_policy, read_schedule
from minyi.deadlines.rules import (
    LATE_STATUSES,
    STOPPED,
    XINFANG,
    clock_start,
    compute_clock,
    is_overdue,
    workdays_to_reply,
)
from minyi.deadlines.workcal import WorkCalendar
from minyi.errors import InvalidInput

cal = WorkCalendar()
T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # Monday 10:00 in Beijing


def test_compute_clock_gives_every_column_of_a_handling_stage() -> None:
    c = compute_clock("handling", T0, XINFANG, cal, extra_days=5)
    assert c.stage == "handling" and c.policy_name == XINFANG.name
    assert cal.workdays_elapsed(T0, c.due_at) == 65  # type: ignore[arg-type]
    assert c.handling_due_at == c.due_at and c.next_escalation_at == c.remind_at
    assert c.escalation_level == 0 and c.provisional is False


def test_the_ladder_resumes_above_the_rung_already_issued() -> None:
    c = compute_clock("handling", T0, XINFANG, cal, issued_level=1)
    assert c.escalation_level == 1 and c.next_escalation_at == c.due_at + timedelta(seconds=1)  # type: ignore[operator]
    assert compute_clock("handling", T0, XINFANG, cal, issued_level=3).next_escalation_at is None


def test_the_evaluation_stage_is_off_the_ladder() -> None:
    c = compute_clock("evaluation", T0, XINFANG, cal, issued_level=2)
    assert c.escalation_level == 0 and c.next_escalation_at is None and c.handling_due_at is None


def test_a_stopped_clock_clears_the_deadline_but_keeps_the_policy_name() -> None:
    values = STOPPED.as_values()
    assert values["due_at"] is None and values["stage"] is None and "policy_name" not in values


def test_covered_years_are_the_library_years_and_loaded_schedules() -> None:
    assert 2026 in cal.covered_years() and not cal.covers(2099)
    local_day_off = WorkCalendar.from_overrides(holidays=[date(2099, 5, 6)])
    assert not local_day_off.covers(2099), "one local holiday is not an official schedule"
    assert WorkCalendar.from_overrides(holidays=[date(2099, 1, 1)]).covers(2099)


def test_a_deadline_reaching_an_uncovered_year_is_provisional() -> None:
    start = datetime(2099, 12, 20, 2, tzinfo=UTC)
    assert compute_clock("acceptance", start, XINFANG, cal).provisional is True
    loaded = WorkCalendar.from_overrides(holidays=[date(2099, 1, 1), date(2100, 1, 1)])
    assert compute_clock("acceptance", start, XINFANG, loaded).provisional is False


def test_overdue_means_waiting_on_staff_past_the_deadline() -> None:
    past, later = T0 - timedelta(days=1), T0 + timedelta(days=1)
    assert is_overdue("in_progress", past, T0) and not is_overdue("in_progress", later, T0)
    assert not is_overdue("replied", past, T0) and not is_overdue("closed", past, T0)
    assert not is_overdue("assigned", None, T0) and "replied" not in LATE_STATUSES


def test_the_clock_starts_at_acceptance_else_registration() -> None:
    assert clock_start(T0) == T0 and clock_start(T0, T0 + timedelta(hours=1)) == T0 + timedelta(hours=1)
    holiday = WorkCalendar.from_overrides(holidays=[date(2026, 3, 3)])
    assert workdays_to_reply(holiday, T0, T0 + timedelta(days=2)) == 1
    assert workdays_to_reply(holiday, T0, None) is None


def _policy(**over: object) -> dict[str, object]:
    days = dict.fromkeys(("accept_days", "sign_days", "handle_days", "rehandle_days", "evaluation_days",
                          "extension_max_days", "remind_before_days", "accountability_after_days"), 1)  # fmt: skip
    return {"name": "p", **days, **over}


def test_a_policy_refuses_a_boolean_for_a_number_of_days() -> None:
    check_policy(_policy())
    with pytest.raises(InvalidInput) as err:
        check_policy(_policy(handle_days=False))
    assert err.value.field == "handle_days"


def test_a_schedule_file_must_be_an_object_of_iso_days() -> None:
    assert read_schedule('{"holidays": ["2099-01-01"], "workdays": ["2099-01-04"]}').covers(2099)
    for bad in ("[]", '{"holidays": ["1 Jan"]}', '{"days": []}', "not json"):
        with pytest.raises(InvalidInput):
            read_schedule(bad)
