"""The public portal: submit a demand, track and evaluate it (plus browse and scoreboard in browse.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from starlette.datastructures import FormData

from minyi.attachments.api import form_uploads
from minyi.cases.commands import CITIZEN_COMMANDS, execute_citizen
from minyi.cases.files import check_case_files, submit_with_files
from minyi.cases.queries import access_case_by_tracking_code
from minyi.cases.rules import TERMINAL, Evaluation, Kind, Status
from minyi.cases.schemas import EvaluationIn, NoteIn
from minyi.cases.tracking import display_code
from minyi.deps import SessionDep, StaffCredentials
from minyi.errors import MinyiError, NotFound, RateLimited
from minyi.intake.steering import do_steer_to_reports, should_steer
from minyi.locale import N_, current_locale, pick
from minyi.locale import gettext as _
from minyi.notifications.choices import do_choose_notify, notify_choice
from minyi.notifications.contact_change import asked_contact, do_ask_contact, do_confirm_contact
from minyi.notifications.rules import mask_address
from minyi.notifications.subscriptions import follow_in
from minyi.portal import browse
from minyi.portal.present import public_page
from minyi.ratelimit.public import check_public
from minyi.reports.evidence import check_evidence
from minyi.reports.pages import show_receipt_once
from minyi.web.choices import region_choices, topic_choices
from minyi.web.forms import new_submit_token, submission_from_form, submit_once, text
from minyi.web.rendering import PageRoute, redirect, render
from minyi.web.signing import check_csrf, sign, unsign

router = APIRouter(route_class=PageRoute, include_in_schema=False)
router.include_router(browse.router)
Form = Annotated[FormData, Depends(check_csrf)]
TRACK_COOKIE, DONE_COOKIE = "minyi_track", "minyi_done"
TRACK_SECONDS, DONE_SECONDS = 2 * 3600, 600
NOTICES = {
    "evaluated": N_("感谢您的评价！"),
    "reopened": N_("您的评价为不满意，案件已退回部门重新办理。"),
    "withdrawn": N_("您的诉求已撤回。"),
    "notify": N_("通知设置已保存。"),
    "contact": N_("确认消息已发到新的联系方式，确认后今后的办理进展将发送到那里。"),
}


def _cookie(response: Response, name: str, value: str, max_age: int, request: Request) -> None:
    secure = request.url.scheme == "https"
    response.set_cookie(
        name, value, max_age=max_age, httponly=True, samesite="strict", secure=secure, path="/"
    )


@router.get("/")
def home(request: Request) -> Response:
    """The front page: what minyi is for, and the two things people come to do."""
    return render(request, "portal/home.html")


def _submit_page(
    request: Request, session: SessionDep, form: dict, errors: dict, status: int = 200
) -> Response:
    context = {
        "kinds": [k.value for k in Kind],
        "topics": topic_choices(),
        "regions": region_choices(session),
        "form": form,
        "errors": errors,
        "submit_token": new_submit_token(),
    }
    return render(request, "portal/submit.html", context, status=status)


@router.get("/submit")
def submit_form(request: Request, session: SessionDep) -> Response:
    """The form to submit a demand."""
    return _submit_page(request, session, {}, {})


@router.post("/submit/topics")
def suggest_topic(request: Request, form: Form) -> Response:
    """htmx: the topic field again, with the topic the text understanding suggests for what was typed."""
    chosen, body = text(form, "topic_code"), text(form, "body")
    suggested = None
    if len(body) >= 8:
        try:
            from minyi.nlp.enrich import enrich
            from minyi.taxonomy import load_taxonomy

            result = enrich("", body)
            label = getattr(getattr(result, "topic", None), "label", None)
            code = load_taxonomy().code_of_level1(label) if label else None
            if code:
                suggested = label
                chosen = chosen or code
        except Exception:  # the suggestion is a convenience; typing must never fail
            suggested = None
    context = {
        "topics": topic_choices(),
        "form": {"topic_code": chosen},
        "suggested": suggested,
        "errors": {},
    }
    return render(request, "portal/_topic_field.html", context)


@router.post("/submit")
def submit(request: Request, session: SessionDep, form: Form) -> Response:
    """Register the demand through the core, then show the tracking code once (post/redirect/get)."""
    sub, errors, values = submission_from_form(form)
    if sub is None:
        return _submit_page(request, session, values, errors, status=422)
    try:
        check_public(request, session, "submit", field="body")
        if should_steer(sub):  # a misconduct report never reaches the department: the sealed channel takes it
            steered = do_steer_to_reports(session, sub, check_evidence(session, None, form_uploads(form)))
            return show_receipt_once(request, steered.receipt, steered.passphrase, steered.contact_dropped)
        files = check_case_files(session, None, form_uploads(form))  # before anything is written
        case = submit_with_files(session, lambda: submit_once(session, sub, form), files)
    except MinyiError as exc:
        if exc.field and exc.status < 500:
            errors = {exc.field: pick(exc.message_zh, exc.message_en)}
            return _submit_page(request, session, values, errors, status=exc.status)
        raise
    response = redirect("/submit/done")
    _cookie(response, DONE_COOKIE, sign("done", case.tracking_code, DONE_SECONDS), DONE_SECONDS, request)
    return response


@router.get("/submit/done")
def submit_done(request: Request) -> Response:
    """The tracking code of the demand just submitted, shown once."""
    code = unsign("done", request.cookies.get(DONE_COOKIE))
    if not code:
        return redirect("/track")
    response = render(request, "portal/submit_done.html", {"code": display_code(code)})
    response.delete_cookie(DONE_COOKIE, path="/")
    return response


@router.get("/track")
def track_form(request: Request) -> Response:
    """Ask for the tracking code."""
    return render(request, "portal/track.html", {"errors": {}, "code": ""})


@router.post("/track")
def track(request: Request, session: SessionDep, form: Form) -> Response:
    """Open a case by its tracking code; the code travels in a signed cookie, never in a URL."""
    raw = text(form, "code")
    try:
        check_public(request, session, "track", field="code")
        case = access_case_by_tracking_code(session, raw)
    except NotFound:
        errors = {"code": _("没有找到这个查询码对应的诉求，请核对后重新输入")}
        return render(request, "portal/track.html", {"errors": errors, "code": raw}, status=404)
    except RateLimited as exc:
        errors = {"code": pick(exc.message_zh, exc.message_en)}
        return render(request, "portal/track.html", {"errors": errors, "code": raw}, status=exc.status)
    response = redirect("/track/case")
    _cookie(response, TRACK_COOKIE, sign("track", case.tracking_code, TRACK_SECONDS), TRACK_SECONDS, request)
    return response


def _tracked(request: Request, session: SessionDep) -> tuple[str, object]:
    code = unsign("track", request.cookies.get(TRACK_COOKIE))
    if not code:
        raise NotFound()
    return code, access_case_by_tracking_code(session, code)


@router.get("/track/case")
def track_case(request: Request, session: SessionDep, ok: str = "") -> Response:
    """Status, public timeline, current deadline and reply of the tracked case; the evaluation form."""
    if not unsign("track", request.cookies.get(TRACK_COOKIE)):
        return redirect("/track")
    code, case = _tracked(request, session)
    view = public_page(session, case, current_locale() == "en")  # type: ignore[arg-type]
    context = {
        "case": view,
        "code": display_code(code),
        "can_evaluate": view.status == Status.replied,
        "can_withdraw": view.status not in TERMINAL,
        "evaluations": [e.value for e in Evaluation],
        "notice": _(NOTICES[ok]) if ok in NOTICES else None,
        "errors": {},
        "notify": notify_choice(session, code),
    }
    return render(request, "portal/track_case.html", context)


@router.post("/track/evaluate")
def evaluate(request: Request, session: SessionDep, form: Form, staff: StaffCredentials) -> Response:
    """The submitter's evaluation: satisfied closes the case, unsatisfied sends it back."""
    _code, case = _tracked(request, session)
    choice, comment = text(form, "evaluation"), text(form, "comment")[:2000] or None
    if choice not in {e.value for e in Evaluation}:
        view = public_page(session, case, current_locale() == "en")  # type: ignore[arg-type]
        context = {
            "case": view, "code": display_code(_code), "can_evaluate": True, "notice": None,
            "evaluations": [e.value for e in Evaluation], "errors": {"evaluation": _("请选择您的评价")},
        }  # fmt: skip
        return render(request, "portal/track_case.html", context, status=422)
    body = EvaluationIn(evaluation=Evaluation(choice), comment=comment)
    updated = execute_citizen(session, _code, CITIZEN_COMMANDS["evaluate"], body, staff_credentials=staff)
    return redirect("/track/case?ok=" + ("reopened" if updated.status == Status.rehandling else "evaluated"))


@router.post("/track/withdraw")
def withdraw(request: Request, session: SessionDep, form: Form, staff: StaffCredentials) -> Response:
    """The submitter takes the demand back while it is still open."""
    code, _case = _tracked(request, session)
    body = NoteIn(note=text(form, "reason")[:2000] or None)
    execute_citizen(session, code, CITIZEN_COMMANDS["withdraw"], body, staff_credentials=staff)
    return redirect("/track/case?ok=withdrawn")


@router.post("/track/notify")
def choose_notify(request: Request, session: SessionDep, form: Form, staff: StaffCredentials) -> Response:
    """The submitter opts in to notifications on a channel they gave, or out of them."""
    code, _case = _tracked(request, session)
    do_choose_notify(session, code, text(form, "notify_by"), staff_credentials=staff)
    return redirect("/track/case?ok=notify")


@router.post("/track/contact")
def set_contact(request: Request, session: SessionDep, form: Form, staff: StaffCredentials) -> Response:
    """The submitter gives or replaces the address to be told at (none was left, or it changed): a link to
    confirm goes there first; limited per address like the "tell me" form (a message to a typed address)."""
    code, _case = _tracked(request, session)
    body = follow_in(text(form, "channel"), text(form, "address"), current_locale()[:2])
    check_public(request, session, "follow", field="address")
    do_ask_contact(session, code, body, staff_credentials=staff)
    return redirect("/track/case?ok=contact")


@router.get("/track/contact/confirm")
def confirm_contact_form(request: Request, session: SessionDep, t: str = "") -> Response:
    """Ask before confirming (a mail scanner that follows links must not confirm for anyone)."""
    _case, body = asked_contact(session, t)
    masked = mask_address(body.channel, body.address)
    return render(request, "portal/contact_confirm.html", {"token": t, "masked": masked, "done": False})


@router.post("/track/contact/confirm")
def confirm_contact(request: Request, session: SessionDep, form: Form) -> Response:
    """The new address's owner confirms: news of the demand goes there from now on."""
    do_confirm_contact(session, text(form, "t"))
    return render(request, "portal/contact_confirm.html", {"token": "", "masked": "", "done": True})


@router.post("/track/forget")
def forget(request: Request, form: Form) -> Response:
    """Stop tracking on this device."""
    response = redirect("/track")
    response.delete_cookie(TRACK_COOKIE, path="/")
    return response
