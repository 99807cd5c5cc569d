"""Tables of the accountability register: records and the evidence each one links to."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from minyi.db import Base, UTCDateTime, utcnow


class AccountabilityRecord(Base):
    """One accountability record (问责): unit, post, ground, form, the unit's response, the decision."""

    __tablename__ = "accountability_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    post: Mapped[str | None] = mapped_column(String(100))
    person: Mapped[str | None] = mapped_column(String(100))  # shown only when the decision is public
    ground: Mapped[str] = mapped_column(String(30))
    form: Mapped[str] = mapped_column(String(30))
    summary: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20))  # ladder | supervisor
    ladder_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="open")
    response: Mapped[str | None] = mapped_column(Text)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class AccountabilityEvidence(Base):
    """A piece of evidence a record links to: a case, an entry of the audit chain, a rectification item."""

    __tablename__ = "accountability_evidence"
    __table_args__ = (UniqueConstraint("record_id", "kind", "ref_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("accountability_records.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))  # case | audit_entry | rectification_item
    ref_id: Mapped[int] = mapped_column(Integer)
