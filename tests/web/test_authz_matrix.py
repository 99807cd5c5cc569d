"""The authorization matrix, generated from the command table: every staff command × every role × own / other
department × confidential × anonymous, through the HTTP API. A case the actor may not see answers exactly like a
case that does not exist; a visible case answers 200 when the transition table allows the role, else 403; the
contact is shown exactly when the contact rule says so."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from minyi.access import CaseFacts, may_see_case, may_see_contact
from minyi.accounts.actions import actor_of, do_create_user
from minyi.accounts.actor import SYSTEM, Actor
from minyi.accounts.roles import Role
from minyi.cases import actions as act
from minyi.cases import oversight
from minyi.cases.commands import STAFF_COMMANDS, CaseCommand
from minyi.cases.models import Case
from minyi.cases.rules import Status, check_transition
from minyi.db import session_factory
from minyi.errors import InvalidTransition
from minyi.intake.actions import do_submit_case
from tests.support.factories import PASSWORD, Org, submission
from tests.web.test_api import GOOD_REPLY

ACTORS = (
    "intake",
    "supervisor",
    "admin",
    "housing-handler",
    "housing-head",
    "transport-handler",
    "transport-head",
)
CONTACT = {"name": "赵六", "phone": "13700001111"}


def _prepare(s: Session, org: Org, command: CaseCommand, *, confidential: bool, anonymous: bool) -> Case:
    """A case assigned to housing (or earlier) in a state from which `command` may run."""
    admin = org.actor("admin")
    sub = submission(
        visibility="confidential" if confidential else "public", anonymous=anonymous, contact=CONTACT
    )
    case, _ = do_submit_case(s, sub, enrich=False)
    if command.name in ("accept", "decline", "merge"):
        return case
    act.do_accept(s, case, admin)
    if command.name == "assign":
        return case
    act.do_assign(s, case, admin, department_id=org.housing.id)
    if command.name in ("sign_for", "return", "request_extension", "supervise", "note", "correct", "grant"):
        return case
    act.do_sign_for(s, case, org.actor("housing-handler"))
    if command.name == "decide_extension":
        oversight.do_request_extension(s, case, org.actor("housing-handler"), days=3, reason="需要协调")
    return case


def _body(s: Session, org: Org, command: CaseCommand, case: Case) -> dict[str, Any]:
    if command.name == "merge":
        master, _ = do_submit_case(s, submission(), enrich=False)
        return {"master_case_id": master.id}
    if command.name == "decide_extension":
        from minyi.cases.queries import get_pending_extensions

        return {"request_id": get_pending_extensions(s, case.id)[0].id, "approve": True}
    return {
        "decline": {"reason": "不属于受理范围"}, "return": {"reason": "不属本单位职责"}, "note": {"reason": "已电话沟通"},
        "assign": {"department_id": org.housing.id}, "reply": {"text": GOOD_REPLY},
        "request_extension": {"days": 3, "reason": "需要协调"}, "correct": {"topic_code": "01"},
        "grant": {"user_id": org.users["supervisor"].id},
    }.get(command.name, {})  # fmt: skip


def _expected_allowed(actor: Actor, command: CaseCommand, case: Case) -> bool:
    try:
        same = actor.department_id is not None and actor.department_id == case.department_id
        check_transition(command.name, Status(case.status), actor.role, same_department=same)
    except InvalidTransition:
        return False
    return command.name != "grant" or actor.clearance or actor.role == Role.admin


@pytest.mark.parametrize("confidential", [False, True], ids=["public", "confidential"])
@pytest.mark.parametrize("anonymous", [False, True], ids=["named", "anonymous"])
def test_every_command_for_every_role(
    client: TestClient, auth: Any, org: Org, sqlite_engine: Engine, confidential: bool, anonymous: bool
) -> None:
    with session_factory(sqlite_engine)() as s:
        org.users["transport-head"] = do_create_user(
            s,
            SYSTEM,
            username="transport-head",
            password=PASSWORD,
            role="dept_head",
            department_id=org.transport.id,
        )
        actors = {name: actor_of(org.users[name]) for name in ACTORS}
        outcomes: dict[str, set[int]] = {name: set() for name in STAFF_COMMANDS}
        for command in STAFF_COMMANDS.values():
            for name, actor in actors.items():
                case = _prepare(s, org, command, confidential=confidential, anonymous=anonymous)
                body = _body(s, org, command, case)
                facts = CaseFacts(case.department_id, frozenset(), case.visibility, case.anonymous)
                url = f"/api/v1/staff/cases/{case.id}/{command.path}"
                got = client.post(url, json=body, headers=auth(name))
                where = (command.name, name, case.status)
                if not may_see_case(actor, facts):
                    missing = client.post(f"/api/v1/staff/cases/{case.id + 10**9}/{command.path}", json=body,
                                          headers=auth(name))  # fmt: skip
                    assert got.status_code == missing.status_code == 404, where
                    assert got.json() == missing.json(), where
                    outcomes[command.name].add(404)
                    seen = client.get(f"/api/v1/staff/cases/{case.id}", headers=auth(name))
                    assert seen.status_code == 404 and seen.json() == missing.json(), where
                    continue
                expected = 200 if _expected_allowed(actor, command, case) else 403
                assert got.status_code == expected, (where, got.text)
                outcomes[command.name].add(expected)
                s.expire_all()
                shown = s.get(Case, case.id)
                assert shown is not None
                facts = CaseFacts(shown.department_id, frozenset(), shown.visibility, shown.anonymous)
                seen = client.get(f"/api/v1/staff/cases/{case.id}", headers=auth(name))
                if not may_see_case(actor, facts):  # e.g. returned by the department: no longer theirs
                    assert seen.status_code == 404, where
                    continue
                assert (seen.json()["contact"] is not None) == may_see_contact(actor, facts), where
                assert seen.json()["tracking_code"] is None, where
        assert all(200 in seen for seen in outcomes.values()), outcomes  # every command ran for someone
        assert all(404 in seen for seen in outcomes.values()), outcomes  # and was invisible to someone
        if not confidential:
            assert sum(403 in seen for seen in outcomes.values()) >= 5, outcomes
