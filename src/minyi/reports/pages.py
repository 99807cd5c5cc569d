"""The reporter's pages: /report to report misconduct, /report/follow to read the answers and reply.

No page here reads the client's address or user agent. The receipt travels only in short-lived signed cookies
(never in a URL), and is shown once.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from minyi.attachments.api import form_uploads
from minyi.deps import SessionDep
from minyi.errors import MinyiError, NotFound
from minyi.locale import gettext as _
from minyi.locale import pick
from minyi.reports import actions as act
from minyi.reports.evidence import check_evidence, do_add_evidence
from minyi.reports.queries import access_report_by_receipt, department_choices, get_messages, verified_report
from minyi.reports.rules import reporter_may_write, status_label
from minyi.reports.schemas import ReportIn
from minyi.uow import end_read, write
from minyi.web.forms import text
from minyi.web.rendering import PageRoute, redirect, render
from minyi.web.signing import check_csrf, sign, unsign

router = APIRouter(route_class=PageRoute, include_in_schema=False)
Form = Annotated[FormData, Depends(check_csrf)]
DONE_COOKIE, FOLLOW_COOKIE = "minyi_report_done", "minyi_report"
DONE_SECONDS, FOLLOW_SECONDS = 600, 1800
FIELDS = ("department_id", "official", "what", "happened", "evidence")
IDENTITY = ("name", "phone", "id_number", "contact")


def _cookie(response: Response, request: Request, name: str, value: str, max_age: int) -> None:
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", path="/report")  # fmt: skip


def _form_page(
    request: Request, session: SessionDep, form: dict[str, Any], errors: dict[str, str], status: int = 200
) -> Response:
    context = {"departments": department_choices(session), "form": form, "errors": errors}
    end_read(session)
    return render(request, "reports/report.html", context, status=status)


@router.get("/report")
def report_form(request: Request, session: SessionDep) -> Response:
    """The form to report misconduct (举报): anonymous unless the reporter chooses to give a name."""
    return _form_page(request, session, {}, {})


def _report_in(form: FormData) -> tuple[ReportIn | None, dict[str, Any], dict[str, str]]:
    values: dict[str, Any] = {k: text(form, k) for k in (*FIELDS, *IDENTITY)}
    values["named"] = text(form, "named") == "yes"
    if text(form, "passphrase") != text(form, "passphrase2"):
        return None, values, {"passphrase2": _("两次输入的密码不一致")}
    data: dict[str, Any] = {k: values[k] or None for k in FIELDS}
    if not values[
        "department_id"
    ].isdigit():  # the form names the unit; only steered demands may leave it open
        return None, values, {"department_id": _("请选择被举报单位")}
    data["department_id"] = values["department_id"]
    data["passphrase"] = text(form, "passphrase")
    if values["named"]:
        data["identity"] = {k: values[k] or None for k in IDENTITY}
    try:
        return ReportIn.model_validate(data), values, {}
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for e in exc.errors():
            field = str(e["loc"][-1] if e["loc"][0] == "identity" else e["loc"][0])
            errors.setdefault(field, _("请检查这一项") + f" ({e['msg']})")
        return None, values, errors


@router.post("/report")
def submit_report(request: Request, session: SessionDep, form: Form) -> Response:
    """Take the report, then show the receipt once (post/redirect/get)."""
    body, values, errors = _report_in(form)
    if body is None:
        return _form_page(request, session, values, errors, status=422)
    try:
        files = check_evidence(session, None, form_uploads(form))  # checked before anything is written
        _report, receipt = act.do_submit_report(session, body, files)
    except MinyiError as exc:
        if exc.field and exc.status < 500:
            return _form_page(
                request, session, values, {exc.field: pick(exc.message_zh, exc.message_en)}, exc.status
            )
        raise
    return show_receipt_once(request, receipt)


def show_receipt_once(
    request: Request, receipt: str, passphrase: str | None = None, contact_dropped: bool = False
) -> Response:
    """Redirect to the page that shows the receipt (and a passphrase made for a steered demand) this once."""
    response = redirect("/report/done")
    value = receipt if passphrase is None else f"{receipt} {passphrase} {int(contact_dropped)}"
    _cookie(response, request, DONE_COOKIE, sign("report-done", value, DONE_SECONDS), DONE_SECONDS)
    return response


@router.get("/report/done")
def report_done(request: Request) -> Response:
    """The receipt, shown this once (with the passphrase when the demand was steered here from ordinary intake)."""
    value = unsign("report-done", request.cookies.get(DONE_COOKIE))
    if not value:
        return redirect("/report/follow")
    receipt, passphrase, dropped = ([*str(value).split(" "), "", ""])[:3]
    context = {"receipt": receipt, "passphrase": passphrase or None, "contact_dropped": dropped == "1"}
    response = render(request, "reports/done.html", context)
    response.headers["cache-control"] = "no-store"
    response.delete_cookie(DONE_COOKIE, path="/report")
    return response


@router.get("/report/follow")
def follow_form(request: Request) -> Response:
    """Ask for the receipt and the passphrase."""
    return render(request, "reports/follow.html", {"errors": {}})


@router.post("/report/follow")
def follow(request: Request, session: SessionDep, form: Form) -> Response:
    """Check the receipt and passphrase; the receipt then travels in a signed cookie for half an hour."""
    receipt = text(form, "receipt")
    try:
        report = access_report_by_receipt(session, receipt, str(form.get("passphrase") or ""))
    except NotFound:
        errors = {"receipt": _("受理回执或密码不正确")}
        return render(request, "reports/follow.html", {"errors": errors}, status=404)
    end_read(session)
    response = redirect("/report/view")
    _cookie(
        response,
        request,
        FOLLOW_COOKIE,
        sign("report", report.receipt_digest, FOLLOW_SECONDS),
        FOLLOW_SECONDS,
    )
    return response


@router.get("/report/view")
def view(request: Request, session: SessionDep) -> Response:
    """The status, the short result when concluded, the messages, and a box to answer."""
    return _view(request, session, {})


def _view(request: Request, session: SessionDep, errors: dict[str, str], status: int = 200) -> Response:
    report = verified_report(session, unsign("report", request.cookies.get(FOLLOW_COOKIE)))
    if report is None:
        return redirect("/report/follow")
    context: dict[str, Any] = {
        "status": status_label(report.status), "result": report.result if report.status == "concluded" else None,
        "messages": get_messages(session, report.id), "can_write": reporter_may_write(report.status),
        "errors": errors,
    }  # fmt: skip
    end_read(session)
    response = render(request, "reports/view.html", context, status=status)
    response.headers["cache-control"] = "no-store"
    return response


@router.post("/report/messages")
def reply(request: Request, session: SessionDep, form: Form) -> Response:
    """The reporter answers the inspectors."""
    digest = unsign("report", request.cookies.get(FOLLOW_COOKIE))
    if verified_report(session, digest) is None:
        return redirect("/report/follow")
    body = text(form, "body")[:10000]
    if body:
        with write(session, act.REPORTER):
            report = verified_report(session, digest, for_update=True)
            assert report is not None
            act.do_add_reporter_message(session, act.REPORTER, report, body)
    return redirect("/report/view")


@router.post("/report/evidence")
def add_evidence(request: Request, session: SessionDep, form: Form) -> Response:
    """The reporter adds evidence files later; they are sealed to the office as they are stored."""
    digest = unsign("report", request.cookies.get(FOLLOW_COOKIE))
    report = verified_report(session, digest)
    if report is None:
        return redirect("/report/follow")
    try:
        files = check_evidence(session, report, form_uploads(form))
        with write(session, act.REPORTER):
            locked = verified_report(session, digest, for_update=True)
            assert locked is not None
            do_add_evidence(session, act.REPORTER, locked, files)
    except MinyiError as exc:
        if exc.status >= 500:
            raise
        return _view(request, session, {"files": pick(exc.message_zh, exc.message_en)}, exc.status)
    return redirect("/report/view")


@router.post("/report/leave")
def leave(request: Request, form: Form) -> Response:
    """Forget the receipt on this device."""
    response = redirect("/report/follow")
    response.delete_cookie(FOLLOW_COOKIE, path="/report")
    return response
