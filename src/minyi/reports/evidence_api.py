"""JSON API of a report's evidence files: the reporter adds them (receipt + passphrase); inspectors list them and
open one with the office passphrase. Nothing here reads the client's address or user agent."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, File, Response, UploadFile
from pydantic import BaseModel

from minyi.attachments.api import download, read_uploads
from minyi.deps import SessionDep, StaffDep
from minyi.fields import CaseIdInPath
from minyi.reports import actions as act
from minyi.reports.api import PassphraseHeader
from minyi.reports.evidence import check_evidence, do_add_evidence, do_open_evidence, evidence_of
from minyi.reports.queries import access_report_by_id, access_report_by_receipt
from minyi.reports.schemas import OfficePassphraseIn
from minyi.uow import end_read, write

router = APIRouter(tags=["reports"])


class EvidenceOut(BaseModel):
    """A sealed evidence file as inspectors see it before opening it (its name and type are sealed too)."""

    id: int
    size: int
    created_at: datetime


class EvidenceAdded(BaseModel):
    added: int


@router.post("/reports/{receipt}/evidence", response_model=EvidenceAdded, status_code=201)
async def add_evidence(
    receipt: str,
    passphrase: PassphraseHeader,
    session: SessionDep,
    files: Annotated[
        list[UploadFile], File(description="images, PDF, plain text or .docx; sealed on arrival")
    ],
) -> EvidenceAdded:
    """The reporter adds evidence files; they are encrypted to the discipline office before they are stored."""
    uploads = await read_uploads(files)
    checked = check_evidence(session, access_report_by_receipt(session, receipt, passphrase), uploads)
    with write(session, act.REPORTER):
        report = access_report_by_receipt(session, receipt, passphrase, for_update=True)
        added = do_add_evidence(session, act.REPORTER, report, checked)
    return EvidenceAdded(added=added)


@router.get("/discipline/reports/{report_id}/evidence", response_model=list[EvidenceOut])
def list_evidence(report_id: CaseIdInPath, actor: StaffDep, session: SessionDep) -> list[EvidenceOut]:
    """The report's sealed evidence files (inspectors who may see the report; 404 for everyone else)."""
    report = access_report_by_id(session, actor, report_id)
    out = [EvidenceOut(id=r.id, size=r.size, created_at=r.created_at) for r in evidence_of(session, report)]
    end_read(session)
    return out


@router.post("/discipline/reports/{report_id}/evidence/{attachment_id}")
def open_evidence(
    report_id: CaseIdInPath,
    attachment_id: CaseIdInPath,
    body: OfficePassphraseIn,
    actor: StaffDep,
    session: SessionDep,
) -> Response:
    """Open one evidence file with the office passphrase (on the audit chain); answered as a download."""
    name, kind, data = act.on_report(
        session,
        actor,
        report_id,
        lambda r: do_open_evidence(session, actor, r, attachment_id, body.passphrase),
    )
    return download(data, name, kind)
