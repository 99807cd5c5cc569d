"""JSON API of expert opinions: staff invite and publish; the invited expert (a member's token) reads the requests
addressed to them and gives the signed opinion. Thin."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Query, status

from minyi.accounts.actions import actor_of, get_user_by_token
from minyi.accounts.actor import Actor
from minyi.accounts.manage import MemberPasswordChangeRequired
from minyi.accounts.roles import Role
from minyi.deps import SessionDep, StaffDep
from minyi.errors import NotAuthenticated
from minyi.organisations.expert_queries import expert_inbox, requests_on
from minyi.organisations.experts import do_give_expert_opinion, do_invite_expert, do_publish_expert_opinion
from minyi.organisations.models import ExpertRequest
from minyi.organisations.schemas import ExpertAnswerIn, ExpertInviteIn, ExpertOpinionOut, PublishIn
from minyi.uow import end_read

router = APIRouter(tags=["experts"])


def get_member(session: SessionDep, authorization: Annotated[str | None, Header()] = None) -> Actor:
    """The organisation member behind a `Authorization: Bearer <token>` header (never staff)."""
    if not authorization or not authorization.lower().startswith("bearer "):
        raise NotAuthenticated()
    user = get_user_by_token(session, authorization[7:].strip())
    if user is None or user.role != Role.member.value:
        raise NotAuthenticated()
    if user.must_change_password:
        raise MemberPasswordChangeRequired()
    actor = actor_of(user)
    end_read(session)
    return actor


MemberDep = Annotated[Actor, Depends(get_member)]


def _out(row: ExpertRequest, views: list[ExpertOpinionOut]) -> ExpertOpinionOut:
    [view] = [v for v in views if v.id == row.id]
    return view


@router.post("/staff/expert-opinions", status_code=status.HTTP_201_CREATED, response_model=ExpertOpinionOut)
def invite(body: ExpertInviteIn, actor: StaffDep, session: SessionDep) -> ExpertOpinionOut:
    """Ask a member of an expert body for a signed opinion on a case or suggestion you may see."""
    row = do_invite_expert(session, actor, body)
    return _out(row, requests_on(session, actor, row.subject_type, row.subject_id))


@router.get("/staff/expert-opinions", response_model=list[ExpertOpinionOut])
def on_subject(
    subject_type: Annotated[Literal["case", "suggestion"], Query()],
    subject_id: Annotated[int, Query(ge=1, le=2**31 - 1)],
    actor: StaffDep,
    session: SessionDep,
) -> list[ExpertOpinionOut]:
    """The requests on a case or suggestion and the opinions given (404 when you may not see it)."""
    out = requests_on(session, actor, subject_type, subject_id)
    end_read(session)
    return out


@router.post("/staff/expert-opinions/{request_id}/publication", response_model=ExpertOpinionOut)
def publish(request_id: int, body: PublishIn, actor: StaffDep, session: SessionDep) -> ExpertOpinionOut:
    """The inviter publishes the opinion on the subject's public page (publish: false withdraws it)."""
    row = do_publish_expert_opinion(session, actor, request_id, body.publish)
    return _out(row, requests_on(session, actor, row.subject_type, row.subject_id))


@router.get("/expert/opinions", response_model=list[ExpertOpinionOut])
def inbox(actor: MemberDep, session: SessionDep) -> list[ExpertOpinionOut]:
    """The requests addressed to the signed-in expert."""
    out = expert_inbox(session, actor)
    end_read(session)
    return out


@router.post("/expert/opinions/{request_id}", response_model=ExpertOpinionOut)
def answer(request_id: int, body: ExpertAnswerIn, actor: MemberDep, session: SessionDep) -> ExpertOpinionOut:
    """Give the signed opinion (once; only the invited expert; 404 for anyone else)."""
    row = do_give_expert_opinion(session, actor, request_id, body.body)
    return _out(row, expert_inbox(session, actor))
