"""Writes of the sealed channel, each one unit of work on the audit chain, none of them carrying an identity.

The audit entries name the report by its id only: no department, no text, no identity, so that the global chain
(which administrators can read) tells nobody who reported whom.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Integer, bindparam, insert, or_, select
from sqlalchemy.orm import Session

from minyi.access import DISCIPLINE, may_approve_unseal
from minyi.accounts.actor import Actor
from minyi.accounts.roles import Role
from minyi.accounts.security import dummy_hash, hash_password
from minyi.attachments.rules import CheckedFile
from minyi.db import UTCDateTime, table_of, utcnow
from minyi.departments.models import Department
from minyi.errors import Conflict, Forbidden, InvalidInput
from minyi.reports.evidence import attach_evidence
from minyi.reports.models import (
    MisconductReport,
    OfficeKeyRow,
    ReportMessage,
    RetaliationFlag,
    UnsealRequest,
)
from minyi.reports.queries import get_office_key
from minyi.reports.rules import may_move, reporter_may_write
from minyi.reports.schemas import ReportIn
from minyi.reports.sealing import (
    WrongPassphrase,
    identity_digest,
    make_office_key,
    new_receipt,
    open_identity,
    receipt_digest,
    seal_identity,
)
from minyi.settings import get_settings
from minyi.uow import unit_of_work, write

REPORTER = Actor(Role.citizen, "reporter")


def _digests(phone: str | None, id_number: str | None) -> tuple[str | None, str | None]:
    secret = get_settings().secret_key
    return (
        identity_digest(secret, "phone", phone) if phone else None,
        identity_digest(secret, "id", id_number) if id_number else None,
    )


def _only_inspectors(actor: Actor) -> None:
    if actor.role not in DISCIPLINE:
        raise Forbidden("仅纪检监察人员可以操作", "only discipline inspectors may do this")


def do_make_office_key(session: Session, actor: Actor, passphrase: str) -> None:
    """Make the office key pair once; the private key is kept only encrypted under `passphrase`."""
    _only_inspectors(actor)
    if get_office_key(session) is not None:
        raise Conflict("密钥已经生成", "the office key already exists")
    key = make_office_key(passphrase, fast=get_settings().env == "test")
    with write(session, actor) as tx:
        row = OfficeKeyRow(public_key=key.public_key, encrypted_private_key=key.encrypted_private_key,
                           salt=key.salt, opslimit=key.opslimit, memlimit=key.memlimit)  # fmt: skip
        session.add(row)
        session.flush()
        tx.record("report.office_key_made", "report_office_key", row.id, {})


def _passphrase_hash(passphrase: str, reporter_access: bool) -> str:
    """The reporter's passphrase hashed (Argon2, deliberately slow); a report whose receipt and passphrase go to
    nobody (an imported row, a press item) stores the process's no-match hash instead of paying for a fresh one."""
    return hash_password(passphrase) if reporter_access else dummy_hash()


def do_submit_report(
    session: Session, body: ReportIn, files: Sequence[CheckedFile] = (), *, reporter_access: bool = True
) -> tuple[MisconductReport, str]:
    """Take a report; returns it and its receipt (shown once). The identity is sealed before any write, and the
    evidence files (already checked by `evidence.check_evidence`) are sealed as they are stored."""
    if body.department_id is not None and session.get(Department, body.department_id) is None:
        raise InvalidInput("被举报单位不存在", "unknown department", field="department_id")
    sealed, phone_d, id_d = None, None, None
    if body.identity is not None:
        key = get_office_key(session)
        if key is None:
            raise InvalidInput(
                "暂不能受理实名举报，请匿名举报", "named reports are not open yet", field="identity"
            )
        sealed = seal_identity(key.public_key, body.identity.model_dump())
        phone_d, id_d = _digests(body.identity.phone, body.identity.id_number)
    receipt, now = new_receipt(), utcnow()
    report = MisconductReport(
        receipt_digest=receipt_digest(receipt), passphrase_hash=_passphrase_hash(body.passphrase, reporter_access),
        department_id=body.department_id, official=body.official, what=body.what, happened=body.happened,
        evidence=body.evidence, named=sealed is not None, sealed_identity=sealed, phone_digest=phone_d,
        id_digest=id_d, status="received", created_at=now, updated_at=now,
    )  # fmt: skip
    with write(session, REPORTER) as tx:
        session.add(report)
        session.flush()
        tx.record("report.submitted", "misconduct_report", report.id, {})
        attach_evidence(session, report, files)
    return report, receipt


@unit_of_work
def do_add_reporter_message(session: Session, actor: Actor, report: MisconductReport, body: str) -> None:
    """The reporter answers (by receipt and passphrase) until the report is concluded."""
    if not reporter_may_write(report.status):
        raise Conflict("举报已办结，不能再留言", "the report is concluded")
    session.add(ReportMessage(report_id=report.id, author="reporter", body=body, created_at=utcnow()))
    session.flush()
    _record(session, "report.reporter_message", report.id)


@unit_of_work
def do_add_inspector_message(session: Session, actor: Actor, report: MisconductReport, body: str) -> None:
    """An inspector asks the reporter a question (the reporter reads it with the receipt)."""
    session.add(ReportMessage(report_id=report.id, author="inspector", body=body, created_at=utcnow()))
    report.updated_at = utcnow()
    session.flush()
    _record(session, "report.inspector_message", report.id)


@unit_of_work
def do_set_report_status(
    session: Session, actor: Actor, report: MisconductReport, status: str, result: str | None
) -> None:
    """Move the report on (received → under verification → concluded, with a short result)."""
    if not may_move(report.status, status):
        raise Conflict(
            "举报状态不能这样变更", f"a {report.status} report cannot become {status}", field="status"
        )
    if status == "concluded" and not result:
        raise InvalidInput("办结须写明结果", "a concluded report needs a short result", field="result")
    report.status, report.result, report.updated_at = status, result, utcnow()
    _record(session, "report.status", report.id, {"status": status})


@unit_of_work
def do_request_unseal(session: Session, actor: Actor, report: MisconductReport, reason: str) -> UnsealRequest:
    """Ask to see a named reporter's identity, with a reason (a second inspector must approve)."""
    if not report.named:
        raise Conflict("匿名举报没有可解密的身份", "an anonymous report has no identity to unseal")
    req = UnsealRequest(report_id=report.id, requested_by=actor.user_id, reason=reason, created_at=utcnow())
    session.add(req)
    session.flush()
    _record(session, "report.unseal_requested", report.id, {"request_id": req.id, "reason": reason})
    return req


@unit_of_work
def do_decide_unseal(
    session: Session, actor: Actor, req: UnsealRequest, report: MisconductReport, approve: bool, reason: str
) -> None:
    """The custodian (another inspector, never the requester) approves or refuses, with a reason."""
    session.refresh(req, with_for_update=True)
    if not may_approve_unseal(actor, report.department_id, req.requested_by):
        raise Forbidden("须由另一名纪检监察人员审批", "another inspector must approve")
    if req.status != "pending":
        raise Conflict("该申请已处理", "the request was already decided")
    req.status = "approved" if approve else "refused"
    req.approved_by, req.approval_reason, req.decided_at = actor.user_id, reason, utcnow()
    data = {"request_id": req.id, "approve": approve, "reason": reason}
    _record(session, "report.unseal_decided", report.id, data)


@unit_of_work
def do_unseal_identity(
    session: Session, actor: Actor, req: UnsealRequest, report: MisconductReport, office_passphrase: str
) -> dict[str, Any]:
    """Open the identity once, for the requester of an approved request, with the office passphrase."""
    session.refresh(req, with_for_update=True)
    if req.status != "approved" or req.requested_by != actor.user_id:
        raise Forbidden("解密须经另一名纪检监察人员批准", "unsealing needs a second inspector's approval")
    key = get_office_key(session)
    if key is None or report.sealed_identity is None:
        raise Conflict("没有可解密的身份", "there is no identity to unseal")
    try:
        identity = open_identity(key, office_passphrase, report.sealed_identity)
    except WrongPassphrase:
        raise InvalidInput("解密口令错误", "the office passphrase is wrong", field="passphrase") from None
    req.status = "used"
    _record(session, "report.identity_unsealed", report.id, {"request_id": req.id})
    return identity


# one statement, built once: the flags of every report whose keyed identity hashes match (none: nothing written)
_FLAG = insert(table_of(RetaliationFlag)).from_select(
    ["report_id", "case_id", "created_at"],
    select(
        MisconductReport.id, bindparam("case_id", type_=Integer), bindparam("at", type_=UTCDateTime)
    ).where(
        or_(
            MisconductReport.phone_digest == bindparam("phone"), MisconductReport.id_digest == bindparam("id")
        )
    ),
)


def flag_later_case(session: Session, case_id: int, phone: str | None, id_number: str | None) -> int:
    """Inside a case's unit of work: flag it to the inspectors if a named reporter submitted it. Matched in the
    database on every call, never from a per-process cache: another worker process may have taken the report."""
    phone_d, id_d = _digests(phone, id_number)
    if not phone_d and not id_d:
        return 0
    params = {"case_id": case_id, "at": utcnow(), "phone": phone_d, "id": id_d}  # a None hash matches nothing
    return int(session.execute(_FLAG, params).rowcount)  # type: ignore[attr-defined]


def _record(session: Session, action: str, report_id: int, data: dict[str, Any] | None = None) -> None:
    from minyi.uow import current_tx

    tx = current_tx(session)
    assert tx is not None
    tx.record(action, "misconduct_report", report_id, data or {})


def on_report(session: Session, actor: Actor, report_id: int, fn: Any) -> Any:
    """Run `fn(report)` in one unit of work on the locked report, refusing (404) before the write begins."""
    from minyi.reports.queries import access_report_by_id

    access_report_by_id(session, actor, report_id)
    with write(session, actor):
        return fn(access_report_by_id(session, actor, report_id, for_update=True))
