"""Reads of the sealed channel: every one goes through `minyi.access.may_see_report` or the receipt."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from minyi.access import DISCIPLINE, may_see_report
from minyi.accounts.actor import Actor
from minyi.accounts.security import hash_password, verify_password
from minyi.errors import NotFound
from minyi.reports.models import (
    MisconductReport,
    OfficeKeyRow,
    ReportMessage,
    RetaliationFlag,
    UnsealRequest,
)
from minyi.reports.sealing import OfficeKey, receipt_digest

_DUMMY_HASH: list[str] = []


def _not_found() -> NotFound:
    return NotFound("举报", "report")


def access_report_by_id(
    session: Session, actor: Actor, report_id: int, *, for_update: bool = False
) -> MisconductReport:
    """The report if this actor may see it; a missing report and a forbidden one look the same (404)."""
    stmt = select(MisconductReport).where(MisconductReport.id == report_id)
    report = session.scalar(stmt.with_for_update() if for_update else stmt)
    if report is None or not may_see_report(actor, report.department_id):
        raise _not_found()
    return report


def access_report_by_receipt(
    session: Session, receipt: str, passphrase: str, *, for_update: bool = False
) -> MisconductReport:
    """The reporter's way in: the receipt and the passphrase; a wrong one of either gives the same 404."""
    stmt = select(MisconductReport).where(MisconductReport.receipt_digest == receipt_digest(receipt))
    report = session.scalar(stmt.with_for_update() if for_update else stmt)
    if report is None:
        if not _DUMMY_HASH:
            _DUMMY_HASH.append(hash_password("no such report"))
        verify_password(_DUMMY_HASH[0], passphrase)  # the same work either way: no timing oracle
        raise _not_found()
    if not verify_password(report.passphrase_hash, passphrase):
        raise _not_found()
    return report


def list_reports(session: Session, actor: Actor) -> list[MisconductReport]:
    """The inspector's queue: every report this actor may see, newest first (nothing for anyone else)."""
    if actor.role not in DISCIPLINE:
        return []
    stmt = select(MisconductReport).order_by(MisconductReport.id.desc())
    if actor.department_id is not None:  # the same exclusion as may_see_report, in SQL
        stmt = stmt.where(
            or_(
                MisconductReport.department_id.is_(None),
                MisconductReport.department_id != actor.department_id,
            )
        )
    return [r for r in session.scalars(stmt) if may_see_report(actor, r.department_id)]


def get_messages(session: Session, report_id: int) -> Sequence[ReportMessage]:
    return session.scalars(
        select(ReportMessage).where(ReportMessage.report_id == report_id).order_by(ReportMessage.id)
    ).all()


def get_later_case_ids(session: Session, report_id: int) -> list[int]:
    """Cases submitted later by the same named reporter (the retaliation watch)."""
    return list(
        session.scalars(
            select(RetaliationFlag.case_id)
            .where(RetaliationFlag.report_id == report_id)
            .order_by(RetaliationFlag.case_id)
        )
    )


def get_office_key(session: Session) -> OfficeKey | None:
    """The discipline office's key (public key, encrypted private key), if one was made."""
    row = session.scalar(select(OfficeKeyRow).order_by(OfficeKeyRow.id.desc()).limit(1))
    if row is None:
        return None
    return OfficeKey(row.public_key, row.encrypted_private_key, row.salt, row.opslimit, row.memlimit)


def access_unseal_request(
    session: Session, actor: Actor, request_id: int
) -> tuple[UnsealRequest, MisconductReport]:
    """An unsealing request and its report, if the actor may see the report (404 otherwise)."""
    req = session.get(UnsealRequest, request_id)
    if req is None:
        raise NotFound("解密申请", "unsealing request")
    try:
        report = access_report_by_id(session, actor, req.report_id)
    except NotFound:
        raise NotFound("解密申请", "unsealing request") from None
    return req, report


def verified_report(session: Session, digest: object, *, for_update: bool = False) -> MisconductReport | None:
    """The report whose receipt (digest) came back in a signed cookie after the passphrase was checked."""
    if not isinstance(digest, str):
        return None
    stmt = select(MisconductReport).where(MisconductReport.receipt_digest == digest)
    return session.scalar(stmt.with_for_update() if for_update else stmt)


def department_choices(session: Session) -> list[tuple[int, str]]:
    """The departments a report may name, for the form."""
    from minyi.departments.models import Department

    rows = session.execute(
        select(Department.id, Department.name).where(Department.active.is_(True)).order_by(Department.id)
    )
    return [(r.id, r.name) for r in rows]
