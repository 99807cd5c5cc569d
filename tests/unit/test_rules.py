"""Pure case rules: transitions, policies, clocks, the ladder, tracking codes and the hash chain."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from minyi.accounts.roles import Role
from minyi.cases.rules import Evaluation, Status, check_transition, evaluation_outcome
from minyi.cases.tracking import ALPHABET, code_in, display_code, new_code, normalize_code
from minyi.deadlines.rules import (
    DEFAULT_POLICIES,
    HOTLINE,
    URGENT,
    XINFANG,
    DeadlinePolicy,
    check_extension,
    choose_policy,
    escalation_due,
    stage_clock,
)
from minyi.deadlines.workcal import WorkCalendar
from minyi.errors import InvalidInput, InvalidTransition
from minyi.hashchain import GENESIS, link_hash, verify_chain

cal = WorkCalendar()
T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # Monday 10:00 in Beijing


def test_cannot_sign_for_a_case_that_was_not_assigned() -> None:
    with pytest.raises(InvalidTransition) as err:
        check_transition("sign_for", Status.registered, Role.handler)
    assert "已登记" in err.value.message_zh


def test_only_the_assigned_department_may_reply() -> None:
    with pytest.raises(InvalidTransition):
        check_transition("reply", Status.in_progress, Role.handler, same_department=False)
    check_transition("reply", Status.in_progress, Role.handler, same_department=True)


def test_a_handler_cannot_dispatch() -> None:
    with pytest.raises(InvalidTransition):
        check_transition("assign", Status.accepted, Role.handler)


def test_finished_cases_cannot_be_withdrawn() -> None:
    for status in (Status.closed, Status.declined, Status.merged, Status.withdrawn):
        with pytest.raises(InvalidTransition):
            check_transition("withdraw", status, Role.citizen)


def test_unsatisfied_reopens_until_rounds_run_out() -> None:
    assert evaluation_outcome(Evaluation.unsatisfied, 1, 1) == Status.rehandling
    assert evaluation_outcome(Evaluation.unsatisfied, 2, 1) == Status.closed
    assert evaluation_outcome(Evaluation.partly, 1, 1) == Status.closed


def test_policy_choice_prefers_the_most_specific() -> None:
    assert choose_policy(DEFAULT_POLICIES, "complaint", "web", False) is XINFANG
    assert choose_policy(DEFAULT_POLICIES, "complaint", "hotline", False) is HOTLINE
    assert choose_policy(DEFAULT_POLICIES, "complaint", "hotline", True) is URGENT
    own = DeadlinePolicy("区里咨询件", handle_days=7, kind="inquiry", channel="hotline")
    assert choose_policy([*DEFAULT_POLICIES, own], "inquiry", "hotline", False) is own


def test_xinfang_defaults_follow_the_regulation() -> None:
    assert (XINFANG.accept_days, XINFANG.handle_days, XINFANG.extension_max_days) == (15, 60, 30)


def test_stage_clock_orders_its_rungs() -> None:
    clock = stage_clock("handling", T0, XINFANG, cal)
    assert T0 < clock.remind_at < clock.due_at < clock.accountability_at
    assert cal.workdays_elapsed(T0, clock.due_at) == 60


def test_urgent_cases_are_due_the_same_working_day() -> None:
    clock = stage_clock("handling", T0, URGENT, cal)
    assert cal.local_date(clock.due_at) == cal.local_date(T0)
    assert T0 < clock.remind_at < clock.due_at


def test_ladder_rungs_by_time() -> None:
    clock = stage_clock("handling", T0, XINFANG, cal)
    assert escalation_due(T0, clock) == 0
    assert escalation_due(clock.remind_at, clock) == 1
    assert escalation_due(clock.due_at + timedelta(seconds=1), clock) == 2
    assert escalation_due(clock.accountability_at, clock) == 3


def test_extensions_total_at_most_thirty_days() -> None:
    check_extension(30, 0, XINFANG)
    with pytest.raises(InvalidTransition):
        check_extension(11, 20, XINFANG)
    with pytest.raises(InvalidTransition):
        check_extension(0, 0, XINFANG)


def test_tracking_codes_round_trip_and_read_forgivingly() -> None:
    code = new_code()
    assert normalize_code(display_code(code).lower()) == code
    assert normalize_code(" " + display_code(code) + " ") == code
    assert (
        normalize_code(display_code(code).replace("-", "－").lower()) == code
    )  # full-width dashes from a phone
    assert normalize_code(display_code(code).replace("-", " — ")) == code
    assert code_in(display_code(code)) == code and code_in("路灯不亮") is None


def test_every_single_character_typo_is_rejected() -> None:
    code = new_code()
    for i in range(len(code)):
        for ch in ALPHABET:
            if ch != code[i]:
                with pytest.raises(InvalidInput):
                    normalize_code(code[:i] + ch + code[i + 1 :])


def test_every_swap_of_neighbours_is_rejected() -> None:
    for _ in range(50):
        code = new_code()
        for i in range(len(code) - 1):
            if code[i] != code[i + 1]:
                swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
                with pytest.raises(InvalidInput):
                    normalize_code(swapped)


def _chain(key: bytes, n: int) -> list[tuple[int, str, str, dict]]:  # type: ignore[type-arg]
    rows, prev = [], GENESIS
    for seq in range(1, n + 1):
        payload = {"seq": seq, "action": f"a{seq}"}
        h = link_hash(key, prev, payload)
        rows.append((seq, prev, h, payload))
        prev = h
    return rows


def test_chain_detects_edit_insert_and_delete() -> None:
    key = b"k"
    rows = _chain(key, 5)
    head = rows[-1][2]
    assert verify_chain(key, 1, rows, 5, head) == []
    edited = [*rows[:2], (3, rows[2][1], rows[2][2], {"seq": 3, "action": "forged"}), *rows[3:]]
    assert verify_chain(key, 1, edited, 5, head)[0].position == 3
    deleted = rows[:2] + rows[3:]
    assert verify_chain(key, 1, deleted, 5, head)[0].position == 3
    truncated = rows[:4]
    assert verify_chain(key, 1, truncated, 5, head)[0].problem.startswith("chain ends")
    assert verify_chain(b"other key", 1, rows, 5, head)[0].position == 1
