"""Intake operators register what comes by phone, letter, visit or through a deputy: /staff/register."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from starlette.datastructures import FormData

from minyi.accounts.actor import Actor
from minyi.cases.rules import Channel, Kind
from minyi.deps import SessionDep
from minyi.errors import MinyiError
from minyi.intake.steering import do_steer_to_reports, should_steer
from minyi.locale import pick
from minyi.reports.pages import show_receipt_once
from minyi.web.auth import StaffPage, current_staff, require_role
from minyi.web.choices import region_choices, topic_choices
from minyi.web.forms import new_submit_token, submission_from_form, submit_once
from minyi.web.rendering import PageRoute, redirect, render
from minyi.web.signing import check_csrf
from minyi.workbench.case_page import remember_registration

router = APIRouter(route_class=PageRoute)
Form = Annotated[FormData, Depends(check_csrf)]


def _page(request: Request, session: SessionDep, form: dict, errors: dict, status: int = 200) -> Response:
    context = {
        "kinds": [k.value for k in Kind], "channels": [c.value for c in Channel], "topics": topic_choices(),
        "regions": region_choices(session), "form": form, "errors": errors, "for_staff": True,
        "action_url": "/staff/register", "submit_token": new_submit_token(),
    }  # fmt: skip
    return render(request, "workbench/register.html", context, status=status)


@router.get("/register")
def register_form(request: Request, session: SessionDep, actor: StaffPage) -> Response:
    """The intake form: channel, on whose behalf, and the demand itself."""
    require_role(actor, "intake", "supervisor")
    return _page(request, session, {}, {})


@router.post("/register")
def register(request: Request, session: SessionDep, form: Form) -> Response:
    """Register through the core with the operator on the record, then open the case (its tracking code shown)."""
    actor: Actor = current_staff(request, session)
    require_role(actor, "intake", "supervisor")
    sub, errors, values = submission_from_form(form, staff=True)
    if sub is None:
        return _page(request, session, values, errors, status=422)
    try:
        if should_steer(sub):  # a misconduct report: the sealed channel, never the department
            steered = do_steer_to_reports(session, sub)
            return show_receipt_once(request, steered.receipt, steered.passphrase, steered.contact_dropped)
        case = submit_once(session, sub, form, actor)
    except MinyiError as exc:
        if exc.field and exc.status < 500:
            return _page(
                request, session, values, {exc.field: pick(exc.message_zh, exc.message_en)}, exc.status
            )
        raise
    response = redirect(f"/staff/cases/{case.id}?done=register")
    remember_registration(response, case.id)  # its next view shows the operator the tracking code, once
    return response
