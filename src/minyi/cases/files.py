"""A case's files: citizens attach photos and documents (portal form, API); staff who may see the case read them.

Files are never published: the public views of a case (portal, open data, Open311) show none of them, because
a photo or a scan cannot be redacted the way text is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy.orm import Session

from minyi.accounts.actor import CITIZEN, Actor
from minyi.attachments.actions import add_attachment, prepare
from minyi.attachments.models import Attachment
from minyi.attachments.queries import count_for, list_for
from minyi.attachments.registry import register_owner
from minyi.attachments.rules import MAX_FILES, CheckedFile
from minyi.cases.events import append_event
from minyi.cases.models import Case
from minyi.cases.queries import access_case_by_id
from minyi.cases.rules import TERMINAL
from minyi.errors import Conflict, InvalidInput, NotFound
from minyi.uow import case_action, write

OBJECT_TYPE = "case"


def _may_read(session: Session, actor: Actor, case_id: int) -> bool:
    try:
        access_case_by_id(session, actor, case_id)
    except NotFound:
        return False
    return True


register_owner(OBJECT_TYPE, _may_read)


def check_room(session: Session, case: Case, n: int) -> None:
    """Refuse files for a finished case, or more than the limit (checked again under the case's lock)."""
    if case.status in TERMINAL:
        raise Conflict(
            "诉求已办结，不能再添加附件", "the case is finished; no more attachments", field="files"
        )
    if count_for(session, OBJECT_TYPE, case.id) + n > MAX_FILES:
        raise InvalidInput(f"附件最多{MAX_FILES}个", f"at most {MAX_FILES} attachments", field="files")


def check_case_files(
    session: Session, case: Case | None, uploads: list[tuple[str, bytes]]
) -> list[CheckedFile]:
    """Check the uploads for a case (a new one when `case` is None) before anything is written."""
    if case is not None:
        check_room(session, case, len(uploads))
    return prepare(session, OBJECT_TYPE, case.id if case is not None else None, uploads)


@case_action
def do_attach_files(session: Session, case: Case, actor: Actor, files: list[CheckedFile]) -> list[Attachment]:
    """Link checked files to the case; one private case event names their hashes (never published)."""
    rows = [
        add_attachment(session, OBJECT_TYPE, case.id, f.data, filename=f.name, content_type=f.content_type)
        for f in files
    ]
    data = {"attachments": [{"id": r.id, "sha256": r.sha256, "size": r.size} for r in rows]}
    append_event(session, case, actor, "attach", case.status, case.status, data=data, public=False)
    return rows


def submit_with_files(session: Session, submit: Callable[[], Case], files: list[CheckedFile]) -> Case:
    """Register a demand and link its checked files in one unit of work (a repeated form attaches nothing twice)."""
    if not files:
        return submit()
    with write(session, CITIZEN):
        case = submit()
        if count_for(session, OBJECT_TYPE, case.id) == 0:
            do_attach_files(session, case, CITIZEN, files)
    return case


def case_files(session: Session, actor: Actor, case_id: int) -> Sequence[Attachment]:
    """The files of a case this actor may see (404 otherwise)."""
    access_case_by_id(session, actor, case_id)
    return list_for(session, OBJECT_TYPE, case_id)
