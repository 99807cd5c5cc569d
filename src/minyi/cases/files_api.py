"""JSON API of a case's files: the submitter attaches by tracking code; staff list and download."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, UploadFile, status

from minyi.accounts.actor import CITIZEN
from minyi.attachments.api import AttachmentOut, attachment_out, read_uploads
from minyi.cases.files import case_files, check_case_files, check_room, do_attach_files
from minyi.cases.queries import access_case_by_tracking_code
from minyi.deps import SessionDep, StaffCredentials, StaffDep
from minyi.errors import Forbidden
from minyi.fields import CaseIdInPath
from minyi.uow import end_read, write

router = APIRouter(tags=["cases"])


@router.post(
    "/cases/{tracking_code}/attachments",
    status_code=status.HTTP_201_CREATED,
    response_model=list[AttachmentOut],
)
async def attach(
    tracking_code: str,
    session: SessionDep,
    staff_credentials: StaffCredentials,
    files: Annotated[
        list[UploadFile], File(description="images, PDF, plain text or .docx; 5 MB and 5 files at most")
    ],
) -> list[AttachmentOut]:
    """The submitter adds photos or documents to their demand (never published; staff of the case read them)."""
    if staff_credentials:
        raise Forbidden("附件由诉求人本人添加", "only the submitter attaches files to a demand")
    uploads = await read_uploads(files)
    return _attach(session, tracking_code, uploads)


def _attach(session: SessionDep, tracking_code: str, uploads: list[tuple[str, bytes]]) -> list[AttachmentOut]:
    checked = check_case_files(session, access_case_by_tracking_code(session, tracking_code), uploads)
    with write(session, CITIZEN):
        case = access_case_by_tracking_code(session, tracking_code, for_update=True)
        check_room(session, case, len(checked))  # the state and the count again, under the case's lock
        rows = do_attach_files(session, case, CITIZEN, checked)
    return [attachment_out(r) for r in rows]


@router.get("/staff/cases/{case_id}/attachments", response_model=list[AttachmentOut])
def list_attachments(case_id: CaseIdInPath, actor: StaffDep, session: SessionDep) -> list[AttachmentOut]:
    """The files of a case you may see (download each at /api/v1/attachments/{id})."""
    out = [attachment_out(r) for r in case_files(session, actor, case_id)]
    end_read(session)
    return out
