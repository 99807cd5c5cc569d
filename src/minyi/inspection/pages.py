"""The workbench pages of inspection rounds: the team's rounds, the unit's rectification items, the call line.

Every step posts to one route that parses the form with the command's schema and runs the command table's
`execute`, like the API; what a page shows comes from the same `present.round_view` as the API's answer.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from starlette.datastructures import FormData

from minyi.access import INSPECTION_TEAM, ROUND_CALLS
from minyi.db import utcnow
from minyi.deadlines.clock import calendar
from minyi.deps import SessionDep
from minyi.errors import MinyiError, NotFound
from minyi.inspection.actions import do_open_round
from minyi.inspection.commands import COMMANDS, allowed_steps, execute
from minyi.inspection.forms import back, default_window, parse, parse_round
from minyi.inspection.present import item_views, public_round, round_view
from minyi.inspection.queries import (
    access_round_by_id,
    inspector_choices,
    list_rounds,
    team_rounds,
    unit_choices,
    unit_items,
)
from minyi.uow import end_read
from minyi.web.auth import StaffPage
from minyi.web.rendering import PageRoute, redirect, render
from minyi.web.signing import check_csrf

router = APIRouter(prefix="/staff/inspections", route_class=PageRoute, include_in_schema=False)
Form = Annotated[FormData, Depends(check_csrf)]
PATHS = {c.path.replace("/", "-"): c for c in COMMANDS.values()}


@router.get("")
def rounds_page(request: Request, session: SessionDep, actor: StaffPage, error: str = "") -> Response:
    """The team's rounds, the unit's rectification items, and the call line for operators."""
    today = calendar(session).local_date(utcnow())
    context = {
        "mine": [round_view(session, actor, r) for r in team_rounds(session, actor)],
        "items": item_views(session, unit_items(session, actor)),
        "calls": [public_round(session, r) for r in list_rounds(session) if r.stage == "inspecting"]
        if actor.role in ROUND_CALLS else [],
        "may_open": actor.role in INSPECTION_TEAM,
        "departments": unit_choices(session), "inspectors": inspector_choices(session),
        "window": default_window(today), "error": error,
    }  # fmt: skip
    end_read(session)
    return render(request, "inspection/staff_rounds.html", context)


@router.post("")
def open_round(session: SessionDep, actor: StaffPage, form: Form) -> Response:
    try:
        rnd = do_open_round(session, actor, parse_round(form))
    except MinyiError as exc:
        return back("/staff/inspections", exc)
    return redirect(f"/staff/inspections/{rnd.id}")


@router.get("/{round_id}")
def round_page(
    request: Request, round_id: int, session: SessionDep, actor: StaffPage, error: str = ""
) -> Response:
    """One round as this member of staff may see it, with a form for each step they may take now."""
    rnd = access_round_by_id(session, round_id)
    context = {"r": round_view(session, actor, rnd), "steps": allowed_steps(session, actor, rnd), "error": error,
               "departments": unit_choices(session)}  # fmt: skip
    end_read(session)
    response = render(request, "inspection/staff_round.html", context)
    response.headers["cache-control"] = "no-store"
    return response


@router.post("/{round_id}/{step}")
def take_step(round_id: int, step: str, session: SessionDep, actor: StaffPage, form: Form) -> Response:
    """Any step of the command table, from its form."""
    command = PATHS.get(step)
    if command is None:
        raise NotFound("操作", "step")
    url = f"/staff/inspections/{round_id}" if text_after(form) != "list" else "/staff/inspections"
    try:
        execute(session, actor, round_id, command, parse(form, command.schema))
    except MinyiError as exc:
        if exc.status == 404:
            raise
        return back(url, exc)
    return back(url)


def text_after(form: FormData) -> str:
    value = form.get("after")
    return value if isinstance(value, str) else ""
