"""Every step on an expert opinion, declared once: who takes it (staff, or the invited expert), its input, its do_*
function, where the API takes it. The JSON API generates one route per command (`expert_api`); the pages (the
experts' pages, the workbench case page, the suggestion page) run the same command from their forms, both through
`execute`, so a missing request and one that is not yours answer alike (404) everywhere."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.accounts.roles import Role
from minyi.errors import NotFound
from minyi.organisations.expert_queries import MISSING, expert_inbox, requests_on
from minyi.organisations.experts import do_give_expert_opinion, do_invite_expert, do_publish_expert_opinion
from minyi.organisations.models import ExpertRequest
from minyi.organisations.schemas import ExpertAnswerIn, ExpertInviteIn, ExpertOpinionOut, PublishIn

By = Literal["staff", "expert"]


@dataclass(frozen=True)
class ExpertCommand:
    """One step: who takes it, where the API takes it (`{request_id}` when on one request), what it takes and runs."""

    name: str
    by: By
    path: str
    schema: type[BaseModel]
    run: Callable[[Session, Actor, int | None, Any], ExpertRequest]
    summary: str
    creates: bool = False

    @property
    def on_request(self) -> bool:
        return "{request_id}" in self.path


def _invite(s: Session, a: Actor, _request_id: int | None, b: ExpertInviteIn) -> ExpertRequest:
    return do_invite_expert(s, a, b)


def _publish(s: Session, a: Actor, request_id: int | None, b: PublishIn) -> ExpertRequest:
    return do_publish_expert_opinion(s, a, request_id or 0, b.publish)


def _answer(s: Session, a: Actor, request_id: int | None, b: ExpertAnswerIn) -> ExpertRequest:
    return do_give_expert_opinion(s, a, request_id or 0, b.body)


def _commands() -> list[ExpertCommand]:
    return [
        ExpertCommand("invite", "staff", "/staff/expert-opinions", ExpertInviteIn, _invite,
                      "邀请专家 ask an expert body's member for a signed opinion on a case or suggestion you see",
                      creates=True),
        ExpertCommand("publish", "staff", "/staff/expert-opinions/{request_id}/publication", PublishIn, _publish,
                      "公开 the inviter publishes the opinion on the public page (publish: false withdraws it)"),
        ExpertCommand("answer", "expert", "/expert/opinions/{request_id}", ExpertAnswerIn, _answer,
                      "署名意见 the invited expert gives the signed opinion, once (404 for anyone else)"),
    ]  # fmt: skip


COMMANDS: dict[str, ExpertCommand] = {c.name: c for c in _commands()}


def _may_take(actor: Actor, by: By) -> bool:
    return actor.is_staff if by == "staff" else actor.role == Role.member and actor.user_id is not None


def execute(
    session: Session, actor: Actor, command: ExpertCommand, body: BaseModel, request_id: int | None = None
) -> ExpertRequest:
    """Run one step: anyone of the wrong side (staff on an expert's step, a member on staff's) finds nothing (404)
    first; the do_* function then refuses what this actor may not do, before its one unit of work."""
    if not _may_take(actor, command.by):
        raise NotFound(*MISSING)
    return command.run(session, actor, request_id, body)


def view_of(session: Session, actor: Actor, command: ExpertCommand, row: ExpertRequest) -> ExpertOpinionOut:
    """The request as the actor who just took the step sees it."""
    if command.by == "staff":
        views = requests_on(session, actor, row.subject_type, row.subject_id)
    else:
        views = expert_inbox(session, actor)
    [view] = [v for v in views if v.id == row.id]
    return view
