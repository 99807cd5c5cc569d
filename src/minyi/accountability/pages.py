"""The accountability register's pages: supervisors open and decide records, the unit's head responds (申辩),
the public reads the decisions made public. Steps run through the command table like the API."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from minyi.accountability.actions import do_open_record
from minyi.accountability.commands import COMMANDS, allowed_steps, execute
from minyi.accountability.present import public_views, record_views
from minyi.accountability.queries import access_record, list_records, public_records
from minyi.accountability.rules import FORM_ZH, GROUND_ZH, REGISTRARS, form_label, ground_label
from minyi.accountability.schemas import RecordIn
from minyi.deps import SessionDep
from minyi.errors import InvalidInput, MinyiError, NotFound
from minyi.inspection.forms import back, parse
from minyi.inspection.queries import unit_choices
from minyi.uow import end_read
from minyi.web.auth import StaffPage
from minyi.web.forms import text
from minyi.web.rendering import PageRoute, redirect, render
from minyi.web.signing import check_csrf

router = APIRouter(route_class=PageRoute, include_in_schema=False)
Form = Annotated[FormData, Depends(check_csrf)]
PATHS = {c.path: c for c in COMMANDS.values()}


def _choices() -> dict[str, Any]:
    return {
        "grounds": [(g, ground_label(g)) for g in GROUND_ZH],
        "forms": [(f, form_label(f)) for f in FORM_ZH],
    }


@router.get("/accountability")
def public_register(request: Request, session: SessionDep) -> Response:
    """The decisions made public: unit, post (a name only where the decision is public), ground, form."""
    records = public_views(session, public_records(session))
    end_read(session)
    return render(request, "accountability/public.html", {"records": records})


@router.get("/staff/accountability")
def register(request: Request, session: SessionDep, actor: StaffPage, error: str = "") -> Response:
    records = record_views(session, list_records(session, actor))
    context = {"records": records, "may_open": actor.role in REGISTRARS, "units": unit_choices(session),
               "error": error, **_choices()}  # fmt: skip
    end_read(session)
    return render(request, "accountability/staff_list.html", context)


def _ids(form: FormData, name: str) -> list[str]:
    return [x for x in re.split(r"[\s,，、]+", text(form, name)) if x]


def _record_in(form: FormData) -> RecordIn:
    data: dict[str, Any] = {
        k: text(form, k) or None for k in ("unit_id", "post", "person", "ground", "form", "summary")
    }
    data.update({k: _ids(form, k) for k in ("case_ids", "audit_seqs", "item_ids")})
    try:
        return RecordIn.model_validate(data)
    except ValidationError as exc:
        field = str((exc.errors()[0]["loc"] or ["?"])[0])
        raise InvalidInput(f"请检查“{field}”一项", f"check the field {field}", field=field) from None


@router.post("/staff/accountability")
def open_record(session: SessionDep, actor: StaffPage, form: Form) -> Response:
    try:
        record = do_open_record(session, actor, _record_in(form))
    except MinyiError as exc:
        return back("/staff/accountability", exc)
    return redirect(f"/staff/accountability/{record.id}")


@router.get("/staff/accountability/{record_id}")
def record_page(
    request: Request, record_id: int, session: SessionDep, actor: StaffPage, error: str = ""
) -> Response:
    record = access_record(session, actor, record_id)
    context = {"r": record_views(session, [record])[0], "steps": allowed_steps(actor, record), "error": error,
               **_choices()}  # fmt: skip
    end_read(session)
    return render(request, "accountability/staff_record.html", context)


@router.post("/staff/accountability/{record_id}/{step}")
def take_step(record_id: int, step: str, session: SessionDep, actor: StaffPage, form: Form) -> Response:
    command = PATHS.get(step)
    if command is None:
        raise NotFound("操作", "step")
    url = f"/staff/accountability/{record_id}"
    try:
        execute(session, actor, record_id, command, parse(form, command.schema))
    except MinyiError as exc:
        if exc.status == 404:
            raise
        return back(url, exc)
    return back(url)
