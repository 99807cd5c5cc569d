"""JSON API of 建议提案办理: the office registers and lists, one route per step, the proposer's own view. Thin."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, status
from pydantic import BaseModel

from minyi.deps import SessionDep, StaffCredentials, StaffDep
from minyi.suggestions.actions import do_register_suggestion
from minyi.suggestions.commands import STAFF_COMMANDS, SuggestionCommand, execute, execute_proposer
from minyi.suggestions.queries import (
    access_proposer_by_code,
    access_suggestion_by_id,
    list_suggestions,
    list_views,
    proposer_items,
    suggestion_view,
)
from minyi.suggestions.rules import SuggestionKind, SuggestionStatus
from minyi.suggestions.schemas import EvaluateIn, SuggestionIn, SuggestionOut
from minyi.uow import end_read

router = APIRouter(tags=["suggestions"])
IfMatch = Annotated[int | None, Header(alias="If-Match", description="the item version you loaded")]
ProposerCode = Annotated[str, Header(alias="X-Proposer-Code", max_length=40)]


@router.post("/staff/suggestions", status_code=status.HTTP_201_CREATED, response_model=SuggestionOut)
def register_suggestion(body: SuggestionIn, actor: StaffDep, session: SessionDep) -> SuggestionOut:
    """The office registers a suggestion or proposal (a new proposer's code is in the answer, once)."""
    item, code = do_register_suggestion(session, actor, body)
    return suggestion_view(session, item, code=code)


@router.get("/staff/suggestions", response_model=list[SuggestionOut])
def suggestions(
    actor: StaffDep,
    session: SessionDep,
    session_label: Annotated[str | None, Query(alias="session", max_length=100)] = None,
    status_: Annotated[SuggestionStatus | None, Query(alias="status")] = None,
    kind: SuggestionKind | None = None,
) -> list[SuggestionOut]:
    """The items the caller may see in a session: number, kind, status, category, assigned_at, due_at, …"""
    items = list_suggestions(session, actor, session_label=session_label, status=status_, kind=kind)
    out = list_views(session, items)
    end_read(session)
    return out


@router.get("/staff/suggestions/{suggestion_id}", response_model=SuggestionOut)
def get_suggestion(suggestion_id: int, actor: StaffDep, session: SessionDep) -> SuggestionOut:
    """One item with its contacts and answers (404 when it does not exist or is not yours to see)."""
    return suggestion_view(session, access_suggestion_by_id(session, actor, suggestion_id))


def _staff_route(command: SuggestionCommand) -> None:
    """POST /staff/suggestions/{id}/<path>: one route per step, dispatched through the command table."""

    def endpoint(
        suggestion_id: int, body: BaseModel, actor: StaffDep, session: SessionDep, version: IfMatch = None
    ) -> SuggestionOut:
        item = execute(session, actor, suggestion_id, command, body, expected_version=version)
        return suggestion_view(session, item)

    endpoint.__annotations__["body"] = command.schema
    router.add_api_route(
        f"/staff/suggestions/{{suggestion_id}}/{command.path}", endpoint, methods=["POST"],
        response_model=SuggestionOut, summary=command.summary, name=f"suggestion_{command.name}",
        operation_id=f"suggestion_{command.name}",
    )  # fmt: skip


for _command in STAFF_COMMANDS.values():
    _staff_route(_command)


@router.get("/proposer/suggestions", response_model=list[SuggestionOut])
def my_suggestions(code: ProposerCode, session: SessionDep) -> list[SuggestionOut]:
    """A proposer's own items and answers, opened with the code the office gave them."""
    proposer = access_proposer_by_code(session, code)
    return [suggestion_view(session, i) for i in proposer_items(session, proposer)]


@router.post("/proposer/suggestions/{suggestion_id}/evaluation", response_model=SuggestionOut)
def evaluate(
    suggestion_id: int, body: EvaluateIn, code: ProposerCode, session: SessionDep, staff: StaffCredentials
) -> SuggestionOut:
    """满意 / 基本满意 / 不满意 with a comment; 不满意 sends the item back for a second answer."""
    item = execute_proposer(session, code, suggestion_id, body, staff_credentials=staff)
    return suggestion_view(session, item)
