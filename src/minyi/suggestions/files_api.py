"""JSON API of suggestions' files: the proposer attaches to the submission with their code, a unit to its own
answer; staff who may see the item list them (download each at /api/v1/attachments/{id}). Thin."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Header, UploadFile, status
from pydantic import BaseModel

from minyi.attachments.api import AttachmentOut, attachment_out, read_uploads
from minyi.deps import SessionDep, StaffCredentials, StaffDep
from minyi.errors import Forbidden
from minyi.suggestions.files import do_attach_to_answer, do_attach_to_submission, files_of
from minyi.suggestions.queries import access_proposer_by_code
from minyi.uow import end_read

router = APIRouter(tags=["suggestions"])
Files = Annotated[
    list[UploadFile], File(description="images, PDF, plain text or .docx; 5 MB and 5 files at most")
]
ProposerCode = Annotated[str, Header(alias="X-Proposer-Code", max_length=40)]


class SuggestionFileOut(AttachmentOut):
    """A file and what it belongs to: the submission or one answer."""

    belongs_to: str


@router.post("/proposer/suggestions/{suggestion_id}/attachments", status_code=status.HTTP_201_CREATED,
             response_model=list[AttachmentOut])  # fmt: skip
async def attach_to_submission(
    suggestion_id: int, files: Files, code: ProposerCode, session: SessionDep, staff: StaffCredentials
) -> list[AttachmentOut]:
    """The proposer adds documents to their own suggestion or proposal (with the code the office gave them)."""
    if staff:
        raise Forbidden("附件由提出人本人添加", "only the proposer attaches files to the submission")
    uploads = await read_uploads(files)
    rows = do_attach_to_submission(session, access_proposer_by_code(session, code), suggestion_id, uploads)
    return [attachment_out(r) for r in rows]


@router.post("/staff/suggestions/{suggestion_id}/answers/{answer_id}/attachments",
             status_code=status.HTTP_201_CREATED, response_model=list[AttachmentOut])  # fmt: skip
async def attach_to_answer(
    suggestion_id: int, answer_id: int, files: Files, actor: StaffDep, session: SessionDep
) -> list[AttachmentOut]:
    """A unit adds documents to its own answer (another unit's answer, or an item it may not see, is 404)."""
    rows = do_attach_to_answer(session, actor, suggestion_id, answer_id, await read_uploads(files))
    return [attachment_out(r) for r in rows]


@router.get("/staff/suggestions/{suggestion_id}/attachments", response_model=list[SuggestionFileOut])
def list_files(suggestion_id: int, actor: StaffDep, session: SessionDep) -> list[BaseModel]:
    """The files of the submission and of its answers (404 when you may not see the item)."""
    out: list[BaseModel] = [
        SuggestionFileOut(**attachment_out(a).model_dump(), belongs_to=kind)
        for kind, a in files_of(session, actor, suggestion_id)
    ]
    end_read(session)
    return out
