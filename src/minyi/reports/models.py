"""Tables of the sealed channel: reports, their messages, the office key and identity unsealing requests."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from minyi.db import Base, UTCDateTime, utcnow


class MisconductReport(Base):
    """One report (举报): what the reporter says, sealed identity, status; no IP address, no user agent."""

    __tablename__ = "misconduct_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    receipt_digest: Mapped[str] = mapped_column(String(64), unique=True)
    passphrase_hash: Mapped[str] = mapped_column(String(200))
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id"), index=True
    )  # None: unknown
    official: Mapped[str | None] = mapped_column(String(200))
    what: Mapped[str] = mapped_column(Text)
    happened: Mapped[str | None] = mapped_column(String(200))
    evidence: Mapped[str | None] = mapped_column(Text)
    named: Mapped[bool] = mapped_column(default=False)
    sealed_identity: Mapped[bytes | None] = mapped_column(LargeBinary)
    phone_digest: Mapped[str | None] = mapped_column(String(64), index=True)
    id_digest: Mapped[str | None] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(20), default="received")
    # made by `minyi import` from a row: the keyed digest of its source and reference (a re-run makes it once)
    import_digest: Mapped[str | None] = mapped_column(String(64), index=True, unique=True)
    result: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReportMessage(Base):
    """A message between the reporter (by receipt) and the inspectors."""

    __tablename__ = "report_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("misconduct_reports.id"), index=True)
    author: Mapped[str] = mapped_column(String(20))  # reporter | inspector
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OfficeKeyRow(Base):
    """The discipline office's public key and its private key, encrypted under the officers' passphrase."""

    __tablename__ = "report_office_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    encrypted_private_key: Mapped[bytes] = mapped_column(LargeBinary)
    salt: Mapped[bytes] = mapped_column(LargeBinary)
    opslimit: Mapped[int] = mapped_column(Integer)
    memlimit: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class UnsealRequest(Base):
    """An inspector's request to see a named reporter's identity, and the custodian's approval."""

    __tablename__ = "report_unseal_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("misconduct_reports.id"), index=True)
    requested_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approval_reason: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending | approved | refused
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RetaliationFlag(Base):
    """A later case by a named reporter (matched on the keyed hash), shown to inspectors only."""

    __tablename__ = "report_retaliation_flags"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("misconduct_reports.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReportNotice(Base):
    """A rung of a report's ladder (reminder, supervision notice), issued once, addressed to inspectors only."""

    __tablename__ = "report_notices"
    __table_args__ = (UniqueConstraint("report_id", "stage", "level", name="uq_report_notice"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("misconduct_reports.id"), index=True)
    stage: Mapped[str] = mapped_column(String(20))  # acknowledge | conclude
    level: Mapped[int] = mapped_column(Integer)  # 1 reminder | 2 supervision notice
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
