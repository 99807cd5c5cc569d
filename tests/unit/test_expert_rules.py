"""Pure rules of expert requests: the due date the inviter may ask for, the status a request shows, who may ask."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from minyi.access import may_invite_expert
from minyi.accounts.actor import Actor
from minyi.accounts.roles import Role
from minyi.errors import InvalidInput
from minyi.organisations.rules import check_due, opinion_status, shown_name

TODAY = date(2026, 12, 31)


def test_a_due_date_is_optional_not_past_and_within_a_year() -> None:
    check_due(None, TODAY)
    check_due(TODAY, TODAY)
    check_due(TODAY + timedelta(days=366), TODAY)
    for bad in (TODAY - timedelta(days=1), TODAY + timedelta(days=367)):
        with pytest.raises(InvalidInput):
            check_due(bad, TODAY)


def test_a_request_is_waiting_then_overdue_until_given_then_published() -> None:
    due = TODAY
    assert opinion_status(False, False, due, TODAY) == "waiting"
    assert opinion_status(False, False, due, TODAY + timedelta(days=1)) == "overdue"
    assert opinion_status(False, False, None, TODAY + timedelta(days=900)) == "waiting"
    assert opinion_status(True, False, due, TODAY + timedelta(days=1)) == "given"
    assert opinion_status(True, True, due, TODAY) == "published"


def test_those_who_handle_and_dispatch_ask_experts_never_inspectors_or_members() -> None:
    allowed = {r for r in Role if may_invite_expert(Actor(r, "x", 1))}
    assert allowed == {Role.intake, Role.supervisor, Role.admin, Role.handler, Role.dept_head}


def test_an_expert_is_never_named_by_login() -> None:
    assert shown_name("王教授", "wang", "市规划专家委员会") == "王教授"
    assert shown_name("wang", "wang", "市规划专家委员会") == "市规划专家委员会"
    assert shown_name("  ", "wang", "市规划专家委员会") == "市规划专家委员会"
