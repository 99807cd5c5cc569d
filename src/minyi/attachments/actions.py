"""Adding an attachment, inside the owner's unit of work: check and clean first, then store and record."""

from __future__ import annotations

import hashlib

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minyi.attachments import storage
from minyi.attachments.images import strip_metadata
from minyi.attachments.models import Attachment
from minyi.attachments.queries import count_for
from minyi.attachments.rules import IMAGES, CheckedFile, check_file
from minyi.db import utcnow
from minyi.uow import current_tx


def prepare(
    session: Session, object_type: str, object_id: int | None, uploads: list[tuple[str, bytes]]
) -> list[CheckedFile]:
    """Check every upload (count, size, type from the bytes) and strip image metadata; refuses before any write."""
    already = count_for(session, object_type, object_id) if object_id is not None else 0
    files = []
    for n, (name, data) in enumerate(uploads):
        checked = check_file(name, data, already + n)
        files.append(strip_metadata(checked) if checked.content_type in IMAGES else checked)
    return files


def add_attachment(
    session: Session,
    object_type: str,
    object_id: int,
    stored: bytes,
    *,
    filename: str,
    content_type: str,
    sealed_key: bytes | None = None,
) -> Attachment:
    """Store `stored` (clean bytes, or ciphertext when `sealed_key` is given) and link it; on the audit chain.

    Runs inside the caller's unit of work. The record names the object and the hash of the stored bytes, not the
    file name (a name can say who sent it).
    """
    tx = current_tx(session)
    if tx is None:
        raise RuntimeError("add_attachment runs inside the owner's unit of work")
    digest = hashlib.sha256(stored).hexdigest()
    _lock_digest(session, digest)
    if not storage.path_of(digest).exists():  # written by this upload: removed again if it rolls back
        tx.on_rollback(lambda: _drop_unreferenced(session, digest))
    storage.put(stored)
    row = Attachment(object_type=object_type, object_id=object_id, sha256=digest, size=len(stored),
                     filename=filename, content_type=content_type, sealed_key=sealed_key, created_at=utcnow())  # fmt: skip
    session.add(row)
    session.flush()
    data = {"object_type": object_type, "object_id": object_id, "sha256": digest, "size": len(stored),
            "sealed": sealed_key is not None}  # fmt: skip
    tx.record("attachment.added", "attachment", row.id, data)
    return row


def _lock_digest(session: Session, digest: str) -> None:
    """On PostgreSQL, serialise the uploads of the same bytes until their transactions end (SQLite's writer lock
    already does), so a rolled-back upload never removes the file a concurrent one is about to reference."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(int(digest[:15], 16))))


def _drop_unreferenced(session: Session, digest: str) -> None:
    """After a rollback: remove the file this upload wrote unless a committed row references the same bytes."""
    _lock_digest(session, digest)
    if session.scalar(select(Attachment.id).where(Attachment.sha256 == digest).limit(1)) is None:
        storage.path_of(digest).unlink(missing_ok=True)
