"""JSON API of expert opinions: the staff's and the expert's steps are generated from the command table
(`expert_commands`); staff read the requests on a subject, the invited expert (a member's token) their own. Thin."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Path, Query, status
from pydantic import BaseModel

from minyi.accounts.actions import actor_of, get_user_by_token
from minyi.accounts.actor import Actor
from minyi.accounts.manage import MemberPasswordChangeRequired
from minyi.accounts.roles import Role
from minyi.deps import SessionDep, StaffDep
from minyi.errors import NotAuthenticated
from minyi.organisations.expert_commands import COMMANDS, ExpertCommand, execute, view_of
from minyi.organisations.expert_queries import expert_inbox, requests_on
from minyi.organisations.schemas import ExpertOpinionOut
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


@router.get("/expert/opinions", response_model=list[ExpertOpinionOut])
def inbox(actor: MemberDep, session: SessionDep) -> list[ExpertOpinionOut]:
    """The requests addressed to the signed-in expert."""
    out = expert_inbox(session, actor)
    end_read(session)
    return out


def _route(command: ExpertCommand) -> None:
    """POST <path>: one route per command, dispatched through the table (staff's steps take a staff token, the
    expert's a member's token)."""
    if command.on_request:

        def endpoint(request_id: int, body: BaseModel, actor: Actor, session: SessionDep) -> ExpertOpinionOut:
            return view_of(session, actor, command, execute(session, actor, command, body, request_id))

        endpoint.__annotations__["request_id"] = Annotated[int, Path(ge=1, le=2**31 - 1)]
    else:

        def endpoint(body: BaseModel, actor: Actor, session: SessionDep) -> ExpertOpinionOut:  # type: ignore[misc]
            return view_of(session, actor, command, execute(session, actor, command, body))

    endpoint.__annotations__.update(
        body=command.schema, actor=StaffDep if command.by == "staff" else MemberDep
    )
    router.add_api_route(
        command.path, endpoint, methods=["POST"], response_model=ExpertOpinionOut, summary=command.summary,
        status_code=status.HTTP_201_CREATED if command.creates else status.HTTP_200_OK,
        name=f"expert_{command.name}", operation_id=f"expert_{command.name}",
    )  # fmt: skip


for _command in COMMANDS.values():
    _route(_command)
