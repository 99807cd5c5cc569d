"""The administrators' pages of organisations: list and register; one organisation to change or deactivate, its
members to add (a one-time password shown once), remove or reset. The forms run the API's command table. Thin."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from minyi.deps import SessionDep
from minyi.errors import MinyiError, NotFound
from minyi.locale import pick
from minyi.organisations import labels  # noqa: F401 - registers the slice's labels
from minyi.organisations.actions import do_add_organisation
from minyi.organisations.admin_queries import (
    access_organisation_by_id,
    check_organisation_admin,
    list_organisations,
    organisation_view,
)
from minyi.organisations.commands import COMMANDS, execute
from minyi.organisations.rules import OrganisationKind
from minyi.organisations.schemas import OrganisationIn
from minyi.web.auth import StaffPage, current_staff
from minyi.web.forms import text
from minyi.web.rendering import PageRoute, redirect, render
from minyi.web.signing import check_csrf

router = APIRouter(prefix="/staff/admin/organisations", route_class=PageRoute, include_in_schema=False)
Form = Annotated[FormData, Depends(check_csrf)]
OrgId = Annotated[int, Path(ge=1, le=2**31 - 1)]
KINDS = [k.value for k in OrganisationKind]


def _refusal(exc: Exception) -> str:
    if isinstance(exc, MinyiError):
        return pick(exc.message_zh, exc.message_en)
    loc = exc.errors()[0]["loc"] if isinstance(exc, ValidationError) and exc.errors() else ()
    return pick(f"输入有误：{'.'.join(map(str, loc))}", f"invalid input: {'.'.join(map(str, loc))}")


def _from_form(schema: type[BaseModel], form: FormData) -> BaseModel:
    """The command's input from its form: booleans are checkboxes, empty text is left out."""
    data: dict[str, object] = {}
    for name, field in schema.model_fields.items():
        if field.annotation is bool:
            data[name] = text(form, name) == "1"
        elif text(form, name):
            data[name] = text(form, name)
    return schema.model_validate(data)


def _list(request: Request, session: SessionDep, *, error: str | None = None, status: int = 200) -> Response:
    actor = current_staff(request, session)
    context = {"organisations": list_organisations(session, actor), "kinds": KINDS, "error": error}
    return render(request, "organisations/admin_list.html", context, status=status)


def _one(request: Request, session: SessionDep, organisation_id: int, *, once: str | None = None,
         error: str | None = None, status: int = 200) -> Response:  # fmt: skip
    org = access_organisation_by_id(session, current_staff(request, session), organisation_id)
    context = {"o": organisation_view(session, org), "once": once, "kinds": KINDS, "error": error}
    response = render(request, "organisations/admin_one.html", context, status=status)
    if once:
        response.headers["Cache-Control"] = "no-store"  # the password must not stay in any cache
    return response


@router.get("")
def organisations(request: Request, session: SessionDep, actor: StaffPage) -> Response:
    """Every organisation with its kind, state and number of members; the form to register one."""
    check_organisation_admin(actor)
    return _list(request, session)


@router.post("")
def add_organisation(request: Request, session: SessionDep, form: Form) -> Response:
    """Register an organisation, then open its page."""
    actor = current_staff(request, session)
    check_organisation_admin(actor)
    try:
        body = _from_form(OrganisationIn, form)
        assert isinstance(body, OrganisationIn)
        org = do_add_organisation(session, actor, body)
    except (MinyiError, ValidationError) as exc:
        session.rollback()
        return _list(request, session, error=_refusal(exc), status=getattr(exc, "status", 422))
    return redirect(f"/staff/admin/organisations/{org.id}?done=add")


@router.get("/{organisation_id}")
def organisation(request: Request, session: SessionDep, actor: StaffPage, organisation_id: OrgId) -> Response:
    """One organisation: change it, its members, its figures (response time, satisfaction)."""
    return _one(request, session, organisation_id)


@router.post("/{organisation_id}/{command}")
def run_command(
    request: Request, session: SessionDep, form: Form, organisation_id: OrgId, command: str
) -> Response:
    """Run one command of the table from its form; a temporary password is shown on the answer, once."""
    actor = current_staff(request, session)
    access_organisation_by_id(session, actor, organisation_id)  # 404 before the form is read
    step = COMMANDS.get(command)
    if step is None:
        raise NotFound("页面", "page")
    try:
        once = execute(session, actor, organisation_id, step, _from_form(step.schema, form))
    except (MinyiError, ValidationError) as exc:
        session.rollback()
        if isinstance(exc, MinyiError) and exc.status == 404 and exc.field is None:
            raise
        return _one(
            request, session, organisation_id, error=_refusal(exc), status=getattr(exc, "status", 422)
        )
    if once:
        return _one(request, session, organisation_id, once=once)
    return redirect(f"/staff/admin/organisations/{organisation_id}?done={command}")
