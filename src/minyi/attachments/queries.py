"""Reads of attachments: by object, and one attachment through its owner's access rule (404 otherwise)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.attachments import registry
from minyi.attachments.models import Attachment
from minyi.errors import NotFound


def count_for(session: Session, object_type: str, object_id: int) -> int:
    """How many files the object already has (the limit counts them)."""
    stmt = select(func.count()).where(
        Attachment.object_type == object_type, Attachment.object_id == object_id
    )
    return int(session.scalar(stmt) or 0)


def list_for(session: Session, object_type: str, object_id: int) -> Sequence[Attachment]:
    """The object's files, oldest first (call only after the owner's access check)."""
    stmt = select(Attachment).where(Attachment.object_type == object_type, Attachment.object_id == object_id)
    return session.scalars(stmt.order_by(Attachment.id)).all()


def access_attachment(session: Session, actor: Actor, attachment_id: int) -> Attachment:
    """A plain (unsealed) attachment the owner's rule lets this actor read; missing and forbidden look alike.

    Sealed files are never served here: only their owner's own route, which can open them, serves them.
    """
    row = session.get(Attachment, attachment_id)
    if (
        row is None
        or row.sealed_key is not None
        or not registry.may_read(session, actor, row.object_type, row.object_id)
    ):
        raise NotFound("附件", "attachment")
    return row
