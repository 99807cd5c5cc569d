"""Tables of organisations: the organisations, their members' accounts, and what they submitted for people."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from minyi.db import Base, UTCDateTime, utcnow


class Organisation(Base):
    """A union branch, youth league, women's federation, social organisation, committee, expert body or outlet."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OrganisationMember(Base):
    """A user account (role `member`) that acts for one organisation."""

    __tablename__ = "organisation_members"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)


class OrganisationCase(Base):
    """A case an organisation submitted on a person's behalf (代为反映), with the record of their consent."""

    __tablename__ = "organisation_cases"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    member_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    consent_way: Mapped[str] = mapped_column(String(20))
    consent_on: Mapped[date] = mapped_column(Date)
    consent_person: Mapped[str] = mapped_column(String(100))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ExpertRequest(Base):
    """Staff ask a member of an expert body (专家咨询机构) for a signed opinion on a case or a suggestion.

    The signature is the entry the opinion's submission appended to the global audit chain (seq and hash, kept
    here) and the SHA-256 of the document (who, on what, what); the inviter decides whether it is published."""

    __tablename__ = "expert_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(20))  # case | suggestion
    subject_id: Mapped[int] = mapped_column(Integer)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    expert_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    invited_by_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    question: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date | None] = mapped_column(Date)  # the date the inviter asks the opinion by (optional)
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    body: Mapped[str | None] = mapped_column(Text)  # as given, others' personal data masked
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    audit_seq: Mapped[int | None] = mapped_column(Integer)
    audit_hash: Mapped[str | None] = mapped_column(String(64))
    published: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (Index("ix_expert_requests_subject", "subject_type", "subject_id"),)
