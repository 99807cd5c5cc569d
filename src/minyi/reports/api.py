"""JSON API of the sealed channel: the reporter's (by receipt) and the discipline inspectors' (by role).

Nothing here reads the client's address or user agent, and `minyi serve` runs without an access log.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, status

from minyi.deps import SessionDep, StaffDep
from minyi.reports import actions as act
from minyi.reports.queries import (
    access_report_by_receipt,
    access_unseal_request,
    get_later_case_ids,
    get_messages,
    list_reports,
)
from minyi.reports.rules import status_label
from minyi.reports.schemas import (
    DecisionIn,
    MessageIn,
    MessageOut,
    OfficePassphraseIn,
    ReasonIn,
    ReceiptOut,
    ReporterViewOut,
    ReportIn,
    ReportOut,
    StatusIn,
)
from minyi.uow import end_read, write

router = APIRouter(tags=["reports"])
PassphraseHeader = Annotated[str, Header(alias="X-Report-Passphrase", max_length=200)]


def reporter_view(session: SessionDep, report: Any) -> ReporterViewOut:
    """What the reporter may see of their report."""
    msgs = [
        MessageOut(author=m.author, body=m.body, at=m.created_at) for m in get_messages(session, report.id)
    ]
    return ReporterViewOut(status=report.status, status_label=status_label(report.status),
                           result=report.result if report.status == "concluded" else None, messages=msgs)  # fmt: skip


def inspector_view(session: SessionDep, report: Any) -> ReportOut:
    out = ReportOut.model_validate(report, from_attributes=True)
    out.messages = [
        MessageOut(author=m.author, body=m.body, at=m.created_at) for m in get_messages(session, report.id)
    ]
    out.later_case_ids = get_later_case_ids(session, report.id)
    return out


@router.post("/reports", response_model=ReceiptOut, status_code=status.HTTP_201_CREATED)
def submit_report(body: ReportIn, session: SessionDep) -> ReceiptOut:
    """举报: take a report; the receipt is shown once, keep it with your passphrase."""
    report, receipt = act.do_submit_report(session, body)
    return ReceiptOut(receipt=receipt, status=report.status)


@router.get("/reports/{receipt}", response_model=ReporterViewOut)
def follow_report(receipt: str, passphrase: PassphraseHeader, session: SessionDep) -> ReporterViewOut:
    """The reporter's view: status, result when concluded, messages (passphrase in X-Report-Passphrase)."""
    view = reporter_view(session, access_report_by_receipt(session, receipt, passphrase))
    end_read(session)
    return view


@router.post("/reports/{receipt}/messages", response_model=ReporterViewOut)
def reporter_message(
    receipt: str, body: MessageIn, passphrase: PassphraseHeader, session: SessionDep
) -> ReporterViewOut:
    access_report_by_receipt(session, receipt, passphrase)
    with write(session, act.REPORTER):
        report = access_report_by_receipt(session, receipt, passphrase, for_update=True)
        act.do_add_reporter_message(session, act.REPORTER, report, body.body)
    return reporter_view(session, report)


@router.get("/discipline/reports", response_model=list[ReportOut])
def inspector_queue(actor: StaffDep, session: SessionDep) -> list[ReportOut]:
    """The discipline inspectors' queue (empty for everyone else, and without the reports against their unit)."""
    return [inspector_view(session, r) for r in list_reports(session, actor)]


@router.get("/discipline/reports/{report_id}", response_model=ReportOut)
def inspector_report(report_id: int, actor: StaffDep, session: SessionDep) -> ReportOut:
    from minyi.reports.queries import access_report_by_id

    return inspector_view(session, access_report_by_id(session, actor, report_id))


@router.post("/discipline/reports/{report_id}/messages", response_model=ReportOut)
def inspector_message(report_id: int, body: MessageIn, actor: StaffDep, session: SessionDep) -> ReportOut:
    report = act.on_report(session, actor, report_id,
                           lambda r: act.do_add_inspector_message(session, actor, r, body.body) or r)  # fmt: skip
    return inspector_view(session, report)


@router.post("/discipline/reports/{report_id}/status", response_model=ReportOut)
def inspector_status(report_id: int, body: StatusIn, actor: StaffDep, session: SessionDep) -> ReportOut:
    report = act.on_report(session, actor, report_id,
                           lambda r: act.do_set_report_status(session, actor, r, body.status, body.result) or r)  # fmt: skip
    return inspector_view(session, report)


@router.post("/discipline/reports/{report_id}/unseal-requests", status_code=status.HTTP_201_CREATED)
def request_unseal(report_id: int, body: ReasonIn, actor: StaffDep, session: SessionDep) -> dict[str, Any]:
    req = act.on_report(
        session, actor, report_id, lambda r: act.do_request_unseal(session, actor, r, body.reason)
    )
    return {"id": req.id, "status": req.status}


@router.post("/discipline/unseal-requests/{request_id}/decision")
def decide_unseal(request_id: int, body: DecisionIn, actor: StaffDep, session: SessionDep) -> dict[str, Any]:
    req, report = access_unseal_request(session, actor, request_id)
    act.do_decide_unseal(session, actor, req, report, body.approve, body.reason)
    return {"id": req.id, "status": req.status}


@router.post("/discipline/unseal-requests/{request_id}/identity")
def unseal_identity(
    request_id: int, body: OfficePassphraseIn, actor: StaffDep, session: SessionDep
) -> dict[str, Any]:
    """Open the identity (approved requests only, once, by the requester, with the office passphrase)."""
    req, report = access_unseal_request(session, actor, request_id)
    return act.do_unseal_identity(session, actor, req, report, body.passphrase)


@router.post("/discipline/office-key", status_code=status.HTTP_201_CREATED)
def make_office_key(body: OfficePassphraseIn, actor: StaffDep, session: SessionDep) -> dict[str, bool]:
    """Make the office key pair once (inspectors); the passphrase is never stored."""
    act.do_make_office_key(session, actor, body.passphrase)
    return {"created": True}
