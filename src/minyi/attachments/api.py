"""Downloads: staff by bearer token (API) or by their session (pages), each through the owner's access rule.

Every answer is a download (`Content-Disposition: attachment`) of the type the bytes were checked to be, with
`nosniff`, so no uploaded file ever renders as a page of this site.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from minyi.accounts.actor import Actor
from minyi.attachments import storage
from minyi.attachments.queries import access_attachment
from minyi.attachments.rules import MAX_FILE_BYTES, MAX_FILES, content_disposition
from minyi.deps import SessionDep, StaffDep
from minyi.errors import NotFound
from minyi.fields import CaseIdInPath
from minyi.uow import end_read
from minyi.web.auth import StaffPage

router = APIRouter(tags=["attachments"])
pages = APIRouter(include_in_schema=False)


class AttachmentOut(BaseModel):
    """What is shown of a stored file (never its bytes, never where it lies)."""

    id: int
    filename: str
    content_type: str
    size: int


def attachment_out(row: Any) -> AttachmentOut:
    return AttachmentOut(id=row.id, filename=row.filename, content_type=row.content_type, size=row.size)


async def read_uploads(files: Sequence[UploadFile]) -> list[tuple[str, bytes]]:
    """The uploads' names and bytes, reading one byte past the size limit at most (so the check can refuse)."""
    out = []
    for f in files[: MAX_FILES + 1]:
        out.append((f.filename or "", await f.read(MAX_FILE_BYTES + 1)))
    return out


def form_uploads(form: FormData, name: str = "files") -> list[tuple[str, bytes]]:
    """The non-empty file fields of a parsed page form (an empty file input sends a nameless empty part)."""
    files = [f for f in form.getlist(name) if isinstance(f, UploadFile) and (f.filename or f.size)]
    return [(f.filename or "", f.file.read(MAX_FILE_BYTES + 1)) for f in files[: MAX_FILES + 1]]


def download(data: bytes, filename: str, content_type: str) -> Response:
    """The bytes as a download that no browser renders in place."""
    headers = {
        "content-disposition": content_disposition(filename),
        "x-content-type-options": "nosniff",
        "cache-control": "private, no-store",
    }
    return Response(data, media_type=content_type, headers=headers)


def serve(session: Session, actor: Actor, attachment_id: int) -> Response:
    """The file if the owner's rule lets this actor read it (404 otherwise); ends the read before the bytes."""
    row = access_attachment(session, actor, attachment_id)
    name, kind, digest = row.filename, row.content_type, row.sha256
    end_read(session)
    try:
        data = storage.get(digest)
    except (OSError, ValueError):
        raise NotFound("附件", "attachment") from None
    return download(data, name, kind)


@router.get("/attachments/{attachment_id}")
def get_attachment(attachment_id: CaseIdInPath, actor: StaffDep, session: SessionDep) -> Response:
    """Download an attachment the owner's rule lets you read (404 for missing and forbidden alike)."""
    return serve(session, actor, attachment_id)


@pages.get("/staff/attachments/{attachment_id}")
def staff_attachment(attachment_id: CaseIdInPath, actor: StaffPage, session: SessionDep) -> Response:
    """The same download for a signed-in member of staff."""
    return serve(session, actor, attachment_id)
