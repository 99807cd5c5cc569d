"""The discipline inspectors' pages: the report queue, one report, questions, status, unsealing requests.

Every read goes through `access.may_see_report` (via the queries); anyone else gets an empty list or a 404.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import select
from starlette.datastructures import FormData

from minyi.attachments.api import download
from minyi.deps import SessionDep
from minyi.errors import InvalidInput, MinyiError
from minyi.locale import pick
from minyi.reports import actions as act
from minyi.reports.evidence import do_open_evidence, evidence_of
from minyi.reports.ladder import report_deadlines
from minyi.reports.models import UnsealRequest
from minyi.reports.queries import (
    access_report_by_id,
    access_unseal_request,
    get_later_case_ids,
    get_messages,
    list_reports,
)
from minyi.reports.rules import status_label
from minyi.uow import end_read
from minyi.web.auth import StaffPage
from minyi.web.forms import text
from minyi.web.rendering import PageRoute, redirect, render
from minyi.web.signing import check_csrf

router = APIRouter(prefix="/staff/reports", route_class=PageRoute, include_in_schema=False)
Form = Annotated[FormData, Depends(check_csrf)]


@router.get("")
def queue(request: Request, session: SessionDep, actor: StaffPage) -> Response:
    """The reports this inspector may see, newest first."""
    items = [(r, status_label(r.status)) for r in list_reports(session, actor)]
    end_read(session)
    return render(request, "reports/staff_queue.html", {"items": items})


@router.get("/{report_id}")
def report_page(
    request: Request, report_id: int, session: SessionDep, actor: StaffPage, error: str = ""
) -> Response:
    """One report: what was said, the conversation, the status, the unsealing requests."""
    report = access_report_by_id(session, actor, report_id)
    requests = session.scalars(select(UnsealRequest).where(UnsealRequest.report_id == report.id)).all()
    context: dict[str, Any] = {
        "r": report, "status": status_label(report.status), "messages": get_messages(session, report.id),
        "later_cases": get_later_case_ids(session, report.id), "requests": requests, "error": error,
        "evidence": evidence_of(session, report), "deadlines": report_deadlines(session, report),
    }  # fmt: skip
    end_read(session)
    response = render(request, "reports/staff_report.html", context)
    response.headers["cache-control"] = "no-store"
    return response


def _back(report_id: int, exc: MinyiError | None = None) -> Response:
    if exc is None:
        return redirect(f"/staff/reports/{report_id}")
    from urllib.parse import quote

    return redirect(f"/staff/reports/{report_id}?error={quote(pick(exc.message_zh, exc.message_en))}")


@router.post("/{report_id}/messages")
def ask(report_id: int, session: SessionDep, actor: StaffPage, form: Form) -> Response:
    body = text(form, "body")[:10000]
    if not body:
        return _back(report_id, InvalidInput("请填写内容", "write something", field="body"))
    act.on_report(session, actor, report_id, lambda r: act.do_add_inspector_message(session, actor, r, body))
    return _back(report_id)


@router.post("/{report_id}/status")
def move(report_id: int, session: SessionDep, actor: StaffPage, form: Form) -> Response:
    target, result = text(form, "status"), text(form, "result")[:2000] or None
    if target not in ("verifying", "concluded"):
        return _back(report_id, InvalidInput("状态无效", "unknown status", field="status"))
    try:
        act.on_report(session, actor, report_id,
                      lambda r: act.do_set_report_status(session, actor, r, target, result))  # fmt: skip
    except MinyiError as exc:
        if exc.status == 404:
            raise
        return _back(report_id, exc)
    return _back(report_id)


@router.post("/{report_id}/unseal-requests")
def request_unseal(report_id: int, session: SessionDep, actor: StaffPage, form: Form) -> Response:
    reason = text(form, "reason")[:2000]
    try:
        if len(reason) < 2:
            raise InvalidInput("请写明理由", "give a reason", field="reason")
        act.on_report(session, actor, report_id, lambda r: act.do_request_unseal(session, actor, r, reason))
    except MinyiError as exc:
        if exc.status == 404:
            raise
        return _back(report_id, exc)
    return _back(report_id)


@router.post("/unseal-requests/{request_id}/decision")
def decide(request_id: int, session: SessionDep, actor: StaffPage, form: Form) -> Response:
    req, report = access_unseal_request(session, actor, request_id)
    reason = text(form, "reason")[:2000]
    try:
        if len(reason) < 2:
            raise InvalidInput("请写明理由", "give a reason", field="reason")
        act.do_decide_unseal(session, actor, req, report, text(form, "approve") == "yes", reason)
    except MinyiError as exc:
        return _back(report.id, exc)
    return _back(report.id)


@router.post("/unseal-requests/{request_id}/identity")
def unseal(request: Request, request_id: int, session: SessionDep, actor: StaffPage, form: Form) -> Response:
    """Show the opened identity once, in this response only (never stored, never in a URL)."""
    req, report = access_unseal_request(session, actor, request_id)
    try:
        identity = act.do_unseal_identity(session, actor, req, report, str(form.get("passphrase") or ""))
    except MinyiError as exc:
        return _back(report.id, exc)
    response = render(request, "reports/staff_identity.html", {"r": report, "identity": identity})
    response.headers["cache-control"] = "no-store"
    return response


@router.post("/{report_id}/evidence/{attachment_id}")
def open_evidence(
    report_id: int, attachment_id: int, session: SessionDep, actor: StaffPage, form: Form
) -> Response:
    """Open one sealed evidence file with the office passphrase, as a download (on the audit chain)."""
    passphrase = str(form.get("passphrase") or "")
    try:
        name, kind, data = act.on_report(
            session,
            actor,
            report_id,
            lambda r: do_open_evidence(session, actor, r, attachment_id, passphrase),
        )
    except MinyiError as exc:
        if exc.status == 404:
            raise
        return _back(report_id, exc)
    return download(data, name, kind)
