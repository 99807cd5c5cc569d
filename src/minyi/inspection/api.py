"""JSON API of inspection rounds: the public mailbox and report, the team's and the units' steps. Thin.

No route here reads the client's address or user agent.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, status
from pydantic import BaseModel

from minyi.accounts.actor import CITIZEN
from minyi.deps import SessionDep, StaffDep
from minyi.errors import NotFound
from minyi.inspection.actions import check_letter, do_open_round, do_send_letter
from minyi.inspection.commands import COMMANDS, RoundCommand, execute
from minyi.inspection.mailbox_gate import check_mailbox
from minyi.inspection.present import item_views, public_round, round_view
from minyi.inspection.queries import access_round_by_id, list_rounds, team_rounds, unit_items
from minyi.inspection.report import read_report
from minyi.inspection.schemas import ItemOut, LetterIn, ReceivedOut, RoundIn, RoundOut
from minyi.uow import end_read, write

router = APIRouter(tags=["inspection"])
IfMatch = Annotated[int | None, Header(alias="If-Match", description="the round version you loaded")]


@router.get("/inspections", response_model=list[RoundOut])
def rounds(session: SessionDep) -> list[RoundOut]:
    """Every inspection round: the unit, the window, the mailbox and the line (public)."""
    out = [public_round(session, r) for r in list_rounds(session)]
    end_read(session)
    return out


@router.get("/inspections/{round_id}", response_model=RoundOut)
def round_public(round_id: int, session: SessionDep) -> RoundOut:
    out = public_round(session, access_round_by_id(session, round_id))
    end_read(session)
    return out


@router.post(
    "/inspections/{round_id}/mailbox", response_model=ReceivedOut, status_code=status.HTTP_201_CREATED
)
def send_letter(request: Request, round_id: int, body: LetterIn, session: SessionDep) -> ReceivedOut:
    """A letter to the round's team (only the team reads it, never the unit inspected); rate-limited (429)."""
    check_letter(session, access_round_by_id(session, round_id))
    held = check_mailbox(request, session, round_id)  # past the round's cap: held for review, same receipt
    with write(session, CITIZEN):
        do_send_letter(
            session, CITIZEN, access_round_by_id(session, round_id, for_update=True), body, held=held
        )
    return ReceivedOut()


@router.get("/inspections/{round_id}/report")
def rectification_report(round_id: int, session: SessionDep) -> dict[str, Any]:
    """The published rectification report (整改情况通报): items, status, what was done (404 before)."""
    report = read_report(access_round_by_id(session, round_id))
    end_read(session)
    if report is None:
        raise NotFound("整改情况通报", "rectification report")
    return report


@router.post("/staff/inspections", response_model=RoundOut, status_code=status.HTTP_201_CREATED)
def open_round(body: RoundIn, actor: StaffDep, session: SessionDep) -> RoundOut:
    """Open a round (inspectors): the unit, the window, the line, the team."""
    return round_view(session, actor, do_open_round(session, actor, body))


@router.get("/staff/inspections", response_model=list[RoundOut])
def my_rounds(actor: StaffDep, session: SessionDep) -> list[RoundOut]:
    """The rounds whose team the caller sits on, with what was sent to them."""
    out = [round_view(session, actor, r) for r in team_rounds(session, actor)]
    end_read(session)
    return out


@router.get("/staff/inspections/{round_id}", response_model=RoundOut)
def staff_round(round_id: int, actor: StaffDep, session: SessionDep) -> RoundOut:
    """A round as the caller may see it (letters, calls and clues only for its team)."""
    out = round_view(session, actor, access_round_by_id(session, round_id))
    end_read(session)
    return out


@router.get("/staff/rectification", response_model=list[ItemOut])
def my_items(actor: StaffDep, session: SessionDep) -> list[ItemOut]:
    """The rectification items the caller's unit is responsible for."""
    out = item_views(session, unit_items(session, actor))
    end_read(session)
    return out


def _route(command: RoundCommand) -> None:
    """POST /staff/inspections/{id}/<path>: one route per step, dispatched through the command table."""

    def endpoint(
        round_id: int, body: BaseModel, actor: StaffDep, session: SessionDep, version: IfMatch = None
    ) -> RoundOut:
        rnd = execute(session, actor, round_id, command, body, expected_version=version)
        return round_view(session, actor, rnd)

    endpoint.__annotations__["body"] = command.schema
    router.add_api_route(
        f"/staff/inspections/{{round_id}}/{command.path}", endpoint, methods=["POST"], response_model=RoundOut,
        summary=command.summary, name=f"inspection_{command.name}", operation_id=f"inspection_{command.name}",
    )  # fmt: skip


for _command in COMMANDS.values():
    _route(_command)
