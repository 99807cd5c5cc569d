"""The organisation's own pages: what it submitted on people's behalf, each case's progress and reply, and the
form to submit a person's demand with the record of their consent."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from minyi.accounts.actions import actor_of, get_user_by_token
from minyi.accounts.actor import Actor
from minyi.accounts.manage import MemberPasswordChangeRequired
from minyi.cases.rules import Kind
from minyi.cases.schemas import EvaluationIn
from minyi.deps import SessionDep
from minyi.errors import InvalidInput, MinyiError, NotAuthenticated
from minyi.fields import Id
from minyi.intake.steering import should_steer
from minyi.locale import pick
from minyi.organisations import labels  # noqa: F401 - registers the slice's labels
from minyi.organisations.actions import do_rate_on_behalf, do_report_on_behalf, do_submit_on_behalf
from minyi.organisations.queries import (
    access_followed_case,
    access_organisation_of,
    followed_cases,
    organisation_figures,
)
from minyi.organisations.rules import COMMITTEES
from minyi.organisations.schemas import ConsentIn
from minyi.reports.pages import show_receipt_once
from minyi.uow import end_read
from minyi.web.choices import region_choices, topic_choices
from minyi.web.forms import field_message, submission_from_form, text
from minyi.web.rendering import PageRoute, redirect, render
from minyi.web.signing import SESSION_COOKIE, check_csrf

router = APIRouter(prefix="/org", route_class=PageRoute, include_in_schema=False)
Form = Annotated[FormData, Depends(check_csrf)]
CONSENT_FIELDS = ("consent_way", "consent_on", "consent_person", "households")


def current_member(request: Request, session: SessionDep) -> Actor:
    """The signed-in member of an organisation; staff and strangers find nothing here (404 after sign-in)."""
    token = request.cookies.get(SESSION_COOKIE)
    user = get_user_by_token(session, token) if token else None
    if user is None:
        raise NotAuthenticated()
    if user.must_change_password and request.url.path != "/org/password":
        raise MemberPasswordChangeRequired()
    actor = actor_of(user)
    end_read(session)
    return actor


MemberPage = Annotated[Actor, Depends(current_member)]


def _home(request: Request, session: Session, actor: Actor, form: dict[str, Any], errors: dict[str, str],
          status: int = 200) -> Response:  # fmt: skip
    org = access_organisation_of(session, actor)
    context = {
        "organisation": org, "cases": followed_cases(session, actor), "committee": org.kind in COMMITTEES,
        "figures": organisation_figures(session, org.id),
        "kinds": [k.value for k in Kind], "topics": topic_choices(), "regions": region_choices(session),
        "form": form, "errors": errors, "for_staff": True, "for_member": True, "action_url": "/org/cases",
        "extra_fields": "organisations/_consent.html",
    }  # fmt: skip
    return render(request, "organisations/home.html", context, status=status)


@router.get("")
def home(request: Request, session: SessionDep, actor: MemberPage) -> Response:
    """The organisation's page: its submissions and their progress, and the form to submit for a person."""
    return _home(request, session, actor, {}, {})


def _consent(form: FormData) -> tuple[ConsentIn | None, dict[str, str]]:
    data = {k: text(form, k) for k in CONSENT_FIELDS if text(form, k)}
    try:
        return ConsentIn.model_validate(data), {}
    except ValidationError as exc:
        return None, {str(e["loc"][0]): field_message(str(e["loc"][0])) for e in exc.errors()}


@router.post("/cases")
def submit(request: Request, session: SessionDep, form: Form) -> Response:
    """Submit a person's demand on their behalf, with their consent on the record."""
    actor = current_member(request, session)
    access_organisation_of(session, actor)  # a non-member gets 404 before anything is read from the form
    sub, errors, values = submission_from_form(form, staff=True)
    consent, consent_errors = _consent(form)
    values.update({k: text(form, k) for k in CONSENT_FIELDS})
    errors.update(consent_errors)
    if sub is None or consent is None or errors:
        return _home(request, session, actor, values, errors, 422)
    try:
        if should_steer(
            sub
        ):  # a misconduct report: the sealed channel, never a case the reported unit would see
            steered = do_report_on_behalf(session, actor, sub)
            return show_receipt_once(request, steered.receipt, steered.passphrase, steered.contact_dropped)
        do_submit_on_behalf(session, actor, sub, consent)
    except MinyiError as exc:
        session.rollback()
        if exc.status == 404 and exc.field is None:
            raise
        return _home(request, session, actor, values, {exc.field or "title": pick(exc.message_zh, exc.message_en)},
                     exc.status)  # fmt: skip
    return redirect("/org?done=submit")


@router.get("/cases/{case_id}")
def followed(request: Request, session: SessionDep, actor: MemberPage, case_id: Id) -> Response:
    """One case the organisation submitted: status, the unit and the reply (masked), never the person's contact."""
    return render(
        request,
        "organisations/case.html",
        {"case": access_followed_case(session, actor, case_id), "error": None},
    )


@router.post("/cases/{case_id}/evaluation")
def rate(request: Request, session: SessionDep, form: Form, case_id: Id) -> Response:
    """评价 on the person's behalf, only when the member confirms the person asked the organisation to."""
    actor = current_member(request, session)
    case = access_followed_case(session, actor, case_id)
    error: MinyiError | None = None
    try:
        if text(form, "asked") != "1":
            raise InvalidInput("请确认本人委托本组织代为评价", "confirm the person asked you to judge for them",
                               field="asked")  # fmt: skip
        body = EvaluationIn.model_validate(
            {"evaluation": text(form, "evaluation"), "comment": text(form, "comment") or None}
        )
        do_rate_on_behalf(session, actor, case_id, body)
    except ValidationError:
        error = InvalidInput("请选择评价", "choose a judgement", field="evaluation")
    except MinyiError as exc:
        session.rollback()
        if exc.status == 404 and exc.field is None:
            raise
        error = exc
    if error is not None:
        context = {"case": case, "error": pick(error.message_zh, error.message_en)}
        return render(request, "organisations/case.html", context, status=error.status)
    return redirect(f"/org/cases/{case_id}?done=evaluate")
