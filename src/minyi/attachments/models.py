"""The attachments table: one row per file linked to an object; the bytes live on disk under their hash."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from minyi.db import Base, UTCDateTime, utcnow


class Attachment(Base):
    """A file linked to (object_type, object_id); sealed files keep their key sealed to the office here."""

    __tablename__ = "attachments"
    __table_args__ = (Index("ix_attachments_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))  # of the bytes as stored (the ciphertext when sealed)
    size: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    sealed_key: Mapped[bytes | None] = mapped_column(LargeBinary)  # set: the stored bytes are encrypted
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
