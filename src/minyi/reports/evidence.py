"""Evidence files of a report: checked like every attachment, then encrypted before they touch the disk.

Each file is encrypted under its own key (SecretBox) and that key is sealed to the discipline office (the same
sealed box as a named reporter's identity), so neither the database nor the file store holds the file, its name
or its type in clear, and only inspectors with the office passphrase can open it. The attachments slice never
serves a sealed file; only the route here, behind `access.may_see_report`, opens one.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.attachments.actions import add_attachment, prepare
from minyi.attachments.models import Attachment
from minyi.attachments.queries import list_for
from minyi.attachments.rules import CheckedFile
from minyi.errors import Conflict, InvalidInput, NotFound
from minyi.reports.models import MisconductReport
from minyi.reports.queries import get_office_key
from minyi.reports.sealing import WrongPassphrase, open_file, open_private_key, seal_file
from minyi.uow import current_tx, unit_of_work

OBJECT_TYPE = "report_evidence"
SEALED_NAME, SEALED_TYPE = "evidence", "application/octet-stream"


def check_evidence(
    session: Session, report: MisconductReport | None, uploads: list[tuple[str, bytes]]
) -> list[CheckedFile]:
    """Check evidence files before any write; they can only be kept once the office has a key to seal them to."""
    if not uploads:
        return []
    if get_office_key(session) is None:
        raise InvalidInput("暂不能接收证据文件，请在举报内容中描述证据", "evidence files are not open yet",
                           field="files")  # fmt: skip
    if report is not None and report.status == "concluded":
        raise Conflict("举报已办结，不能再提交证据", "the report is concluded", field="files")
    return prepare(session, OBJECT_TYPE, report.id if report is not None else None, uploads)


def attach_evidence(session: Session, report: MisconductReport, files: Sequence[CheckedFile]) -> int:
    """Inside the report's unit of work: seal each file to the office and store only the ciphertext."""
    if not files:
        return 0
    key = get_office_key(session)
    assert key is not None and current_tx(session) is not None
    for f in files:
        ciphertext, sealed_key = seal_file(key.public_key, f.name, f.content_type, f.data)
        add_attachment(session, OBJECT_TYPE, report.id, ciphertext, filename=SEALED_NAME,
                       content_type=SEALED_TYPE, sealed_key=sealed_key)  # fmt: skip
    return len(files)


@unit_of_work
def do_add_evidence(
    session: Session, actor: Actor, report: MisconductReport, files: list[CheckedFile]
) -> int:
    """The reporter adds evidence later (by receipt and passphrase), until the report is concluded."""
    if report.status == "concluded":
        raise Conflict("举报已办结，不能再提交证据", "the report is concluded", field="files")
    return attach_evidence(session, report, files)


def evidence_of(session: Session, report: MisconductReport) -> Sequence[Attachment]:
    """The sealed evidence of a report the caller has already been allowed to see."""
    return list_for(session, OBJECT_TYPE, report.id)


@unit_of_work
def do_open_evidence(
    session: Session, actor: Actor, report: MisconductReport, attachment_id: int, office_passphrase: str
) -> tuple[str, str, bytes]:
    """Open one evidence file with the office passphrase; who opened which file goes on the audit chain."""
    from minyi.attachments import storage

    row = session.get(Attachment, attachment_id)
    if row is None or row.object_type != OBJECT_TYPE or row.object_id != report.id or row.sealed_key is None:
        raise NotFound("证据文件", "evidence file")
    key = get_office_key(session)
    assert key is not None
    try:
        private = open_private_key(key, office_passphrase)
    except WrongPassphrase:
        raise InvalidInput("解密口令错误", "the office passphrase is wrong", field="passphrase") from None
    opened = open_file(private, storage.get(row.sha256), row.sealed_key)
    tx = current_tx(session)
    assert tx is not None
    tx.record("report.evidence_opened", "misconduct_report", report.id, {"attachment_id": row.id})
    return opened
