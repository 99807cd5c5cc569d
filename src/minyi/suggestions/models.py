"""Tables of 建议提案办理: proposers, items, co-operating units, contacts, answers, follow-ups, the hash chain."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from minyi.db import Base, UTCDateTime, utcnow


class Proposer(Base):
    """A deputy, CPPCC member, democratic party, mass organisation or special committee; reaches their own page
    with a secret code (only its hash is kept)."""

    __tablename__ = "proposers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(30))  # deputy | cppcc_member | party | organisation | committee
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Suggestion(Base):
    """One suggestion (建议) or proposal (提案): its number in a session, the text, the state and the clock."""

    __tablename__ = "suggestions"
    __table_args__ = (UniqueConstraint("kind", "session_label", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    session_label: Mapped[str] = mapped_column(String(100), index=True)  # 届次/会议
    number: Mapped[int] = mapped_column(Integer)
    proposer_id: Mapped[int] = mapped_column(ForeignKey("proposers.id"), index=True)
    cosigners: Mapped[list[str]] = mapped_column(JSON, default=list)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), index=True)
    category: Mapped[str | None] = mapped_column(String(1))
    round: Mapped[int] = mapped_column(Integer, default=1)
    not_accepted_reason: Mapped[str | None] = mapped_column(Text)
    to_opinion: Mapped[bool] = mapped_column(Boolean, default=False)
    lead_unit_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    dispute_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    months: Mapped[int] = mapped_column(Integer, default=3)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_on_time: Mapped[bool | None] = mapped_column(Boolean)
    key_item: Mapped[bool] = mapped_column(Boolean, default=False)
    key_leader: Mapped[str | None] = mapped_column(String(100))
    proposer_declined_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    satisfaction: Mapped[str | None] = mapped_column(String(30))
    published: Mapped[bool] = mapped_column(Boolean, default=True)
    withhold_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    event_count: Mapped[int] = mapped_column(Integer, default=0)
    last_event_hash: Mapped[str] = mapped_column(String(64), default="")
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SuggestionUnit(Base):
    """A unit of an item besides its lead unit: co-operating (协办/会办, may be asked for its opinion before the
    lead unit answers) or answering its own part of a split item (分办)."""

    __tablename__ = "suggestion_units"

    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestions.id"), primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(10), default="co", server_default="co")  # co | part
    opinion_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    opinion: Mapped[str | None] = mapped_column(Text)
    opinion_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    opinion_waived: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class ContactRecord(Base):
    """The lead unit's contact with the proposer before answering (面商, phone, letter): when, who, what was said."""

    __tablename__ = "suggestion_contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestions.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))  # the unit that made it
    way: Mapped[str] = mapped_column(String(20))  # meeting | phone | letter | declined
    contacted_on: Mapped[date] = mapped_column(Date)
    who: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SuggestionAnswer(Base):
    """A written answer (first or second round) of one unit, signed off by its head, with the proposer's judgement
    (a split item has one per unit and round)."""

    __tablename__ = "suggestion_answers"
    __table_args__ = (UniqueConstraint("suggestion_id", "round", "department_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestions.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))  # the answering unit (its part)
    round: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(1))
    text: Mapped[str] = mapped_column(Text)
    plan: Mapped[str | None] = mapped_column(Text)
    plan_date: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)
    signed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signed_by_label: Mapped[str] = mapped_column(String(100))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    on_time: Mapped[bool] = mapped_column(Boolean)
    satisfaction: Mapped[str | None] = mapped_column(String(30))
    comment: Mapped[str | None] = mapped_column(Text)


class FollowUp(Base):
    """What a B answer promised, and by when: the ladder watches its date."""

    __tablename__ = "suggestion_followups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestions.id"), index=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("suggestion_answers.id"))
    plan: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_note: Mapped[str | None] = mapped_column(Text)


class SuggestionNotice(Base):
    """A rung of the ladder issued on an item: 催办, 督办通知 or 公开通报, on its answer deadline (subject
    `answer:<round>`) or on a B answer's promised date (`followup:<id>`); unique per subject and rung."""

    __tablename__ = "suggestion_notices"
    __table_args__ = (UniqueConstraint("suggestion_id", "subject", "level"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestions.id"), index=True)
    subject: Mapped[str] = mapped_column(String(30))
    level: Mapped[int] = mapped_column(Integer)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class SuggestionEvent(Base):
    """One step on an item's record, chained with the audit key like a case's events."""

    __tablename__ = "suggestion_events"
    __table_args__ = (UniqueConstraint("suggestion_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestions.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_label: Mapped[str] = mapped_column(String(100))
    actor_role: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
