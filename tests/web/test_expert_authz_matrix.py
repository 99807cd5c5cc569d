"""The experts' authorization matrix, generated from their command table: every command × every staff role, the
invited expert, another expert and no one, through the HTTP API. A step the actor may not take on something they
may not see answers exactly like one on a request or subject that does not exist; the rules (`access`) say who gets
200 and who 403."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from minyi.access import CaseFacts, may_invite_expert, may_see_case
from minyi.accounts.actions import actor_of
from minyi.accounts.actor import Actor
from minyi.accounts.models import User
from minyi.cases.models import Case
from minyi.db import session_factory
from minyi.organisations.expert_commands import COMMANDS, ExpertCommand
from minyi.organisations.experts import do_give_expert_opinion, do_invite_expert
from minyi.organisations.schemas import ExpertInviteIn
from tests.support.factories import Org
from tests.web.test_expert_opinions_http import _arrange

STAFF = ("intake", "supervisor", "admin", "housing-handler", "housing-head", "transport-handler", "inspector")
MEMBERS = ("expert-1", "expert-2")
MISSING = 10**6


def _request(s: Session, org: Org, case_id: int, expert_id: int, *, answered: bool) -> int:
    body = ExpertInviteIn(
        subject_type="case", subject_id=case_id, expert_user_id=expert_id, question="结构是否安全？"
    )
    row = do_invite_expert(s, org.actor("housing-handler"), body)
    if answered:
        expert = actor_of(s.get(User, expert_id))  # type: ignore[arg-type]
        do_give_expert_opinion(s, expert, row.id, "结构可行。")
    return row.id


def _expected(
    command: ExpertCommand, name: str, actor: Actor | None, facts: CaseFacts, inviter: int
) -> int | None:
    """200/201 or 403 from the rules; None where the answer must be the one for a missing request or subject."""
    if command.by == "expert":
        return 200 if name == "expert-1" else None
    if actor is None or not actor.is_staff or not may_see_case(actor, facts):
        return None
    if not may_invite_expert(actor) or (command.name == "publish" and actor.user_id != inviter):
        return 403
    return 201 if command.creates else 200


def test_every_expert_command_for_everyone(
    client: TestClient, auth: Any, org: Org, sqlite_engine: Engine, inspectors: None
) -> None:
    case_id, expert_id = _arrange(sqlite_engine, org)
    outcomes: dict[str, set[int]] = {name: set() for name in COMMANDS}
    with session_factory(sqlite_engine)() as s:
        case = s.get(Case, case_id)
        assert case is not None
        facts = CaseFacts(case.department_id, frozenset(), case.visibility, case.anonymous)
        users = {u.username: u for u in s.scalars(select(User).where(User.username.in_(STAFF + MEMBERS)))}
        inviter = org.users["housing-handler"].id
        for command in COMMANDS.values():
            for name in (*STAFF, *MEMBERS, "no one"):
                actor = actor_of(users[name]) if name in users else None
                headers = auth(name) if actor is not None else {}
                request_id = _request(s, org, case_id, expert_id, answered=command.name == "publish")
                body: dict[str, Any] = {
                    "invite": {"subject_type": "case", "subject_id": case_id, "expert_user_id": expert_id,
                               "question": "请论证"},
                    "publish": {"publish": True}, "answer": {"body": "可行"},
                }[command.name]  # fmt: skip
                real = command.path.replace("{request_id}", str(request_id))
                missing_body = {**body, "subject_id": case_id + MISSING} if not command.on_request else body
                missing = command.path.replace("{request_id}", str(request_id + MISSING))
                got = client.post(f"/api/v1{real}", json=body, headers=headers)
                expected = _expected(command, name, actor, facts, inviter)
                where = (command.name, name, got.text)
                if expected is None:
                    gone = client.post(f"/api/v1{missing}", json=missing_body, headers=headers)
                    assert got.status_code == gone.status_code and got.status_code in (401, 404), where
                    assert got.json() == gone.json(), where
                else:
                    assert got.status_code == expected, where
                outcomes[command.name].add(got.status_code)
    assert all(seen & {200, 201} for seen in outcomes.values()), outcomes  # every command ran for someone
    assert all(404 in seen for seen in outcomes.values()), outcomes  # and found nothing for someone
    assert 403 in outcomes["publish"], outcomes  # the inviter alone decides publication
