"""Tables of the consultation slice: drafts and their clauses, comments, statements and votes, the answer."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from minyi.db import Base, UTCDateTime, utcnow
from minyi.hashchain import GENESIS


class Consultation(Base):
    """A draft decision put to the public (征求意见): who asks, on what, for how long, and where it stands."""

    __tablename__ = "consultations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    background: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20), default="major")  # major | community
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    committee: Mapped[str | None] = mapped_column(String(200))  # a residents' or village committee
    region_code: Mapped[str | None] = mapped_column(String(12), ForeignKey("regions.code"))
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    requirement: Mapped[str] = mapped_column(String(20), default="none")  # none | tracking_code | account
    source: Mapped[str | None] = mapped_column(String(40))  # "polis" for an imported conversation
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hearing_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # 听证会, when the organiser holds one
    hearing_place: Mapped[str | None] = mapped_column(String(200))
    hearing_capacity: Mapped[int | None] = mapped_column(Integer)
    origin: Mapped[str | None] = mapped_column(String(200))  # the hot issue or alert it was opened from
    # the head of the consultation's own vote chain, and how far the global audit chain has sealed it
    vote_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    vote_head: Mapped[str] = mapped_column(String(64), default=GENESIS, server_default=GENESIS)
    vote_sealed_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class LinkedCase(Base):
    """A case the consultation answers to (opened from a hot issue or an alert); the public sees it redacted."""

    __tablename__ = "consultation_cases"

    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)


class Clause(Base):
    """One numbered part of the draft (条), with its final text once the decision is made."""

    __tablename__ = "consultation_clauses"
    __table_args__ = (UniqueConstraint("consultation_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"))
    number: Mapped[int] = mapped_column(Integer)
    heading: Mapped[str] = mapped_column(String(200), default="")
    draft_text: Mapped[str] = mapped_column(Text)
    final_text: Mapped[str | None] = mapped_column(Text)


class Participant(Base):
    """A pseudonymous participant of one consultation, known by a signed id, optionally verified."""

    __tablename__ = "consultation_participants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    pseudonym: Mapped[str] = mapped_column(String(40), unique=True)
    verified_by: Mapped[str | None] = mapped_column(String(20))  # tracking_code | account
    verified_ref: Mapped[str | None] = mapped_column(String(64))  # a keyed hash, never the code itself
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_write_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    writes_in_window: Mapped[int] = mapped_column(Integer, default=0)


class CommentGroup(Base):
    """Comments that say the same thing, answered together in the feedback report."""

    __tablename__ = "consultation_comment_groups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    answer: Mapped[str | None] = mapped_column(String(20))  # adopted | partly | not_adopted
    reason: Mapped[str | None] = mapped_column(Text)


class Comment(Base):
    """A comment on one clause or on the whole draft; the public sees only the redacted text."""

    __tablename__ = "consultation_comments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    clause_id: Mapped[int | None] = mapped_column(ForeignKey("consultation_clauses.id"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("consultation_participants.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    public_body: Mapped[str] = mapped_column(Text)
    moderation: Mapped[str] = mapped_column(String(20), default="published")  # held | published | hidden
    flags: Mapped[Any] = mapped_column(JSON, default=list)
    moderation_reason: Mapped[str | None] = mapped_column(Text)
    support: Mapped[int] = mapped_column(Integer, default=0)
    oppose: Mapped[int] = mapped_column(Integer, default=0)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("consultation_comment_groups.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CommentReaction(Base):
    """One participant's support (+1) or opposition (-1) to a comment; the last one counts."""

    __tablename__ = "consultation_comment_reactions"
    __table_args__ = (UniqueConstraint("comment_id", "participant_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("consultation_comments.id"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("consultation_participants.id"))
    value: Mapped[int] = mapped_column(SmallInteger)


class Statement(Base):
    """A short statement (≤140 characters) participants vote on; hidden ones leave the map."""

    __tablename__ = "consultation_statements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("consultation_participants.id"))
    text: Mapped[str] = mapped_column(String(140))
    external_id: Mapped[str | None] = mapped_column(String(40))  # the Polis comment-id when imported
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    seen: Mapped[int] = mapped_column(Integer, default=0)  # votes cast on it, for the balanced order
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Vote(Base):
    """A participant's vote on a statement: 1 agree, -1 disagree, 0 pass; one row each, the last one counts."""

    __tablename__ = "consultation_votes"
    __table_args__ = (
        UniqueConstraint("statement_id", "participant_id"),
        Index("ix_consultation_votes_participant", "participant_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("consultation_statements.id"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("consultation_participants.id"))
    value: Mapped[int] = mapped_column(SmallInteger)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OpinionMap(Base):
    """The opinion groups last computed for a consultation (off the request path), as plain data."""

    __tablename__ = "consultation_opinion_maps"

    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), primary_key=True)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    data: Mapped[Any] = mapped_column(JSON)


class ExpertOpinion(Base):
    """An invited expert's or deputy's opinion (专家论证): published with their name, signed on the audit chain.

    The signature is the entry the submission appended to the global chain (its seq and hash) and the SHA-256 of
    the published document; anyone holding the record can check both.
    """

    __tablename__ = "consultation_expert_opinions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))  # expert | deputy
    name: Mapped[str] = mapped_column(String(100))
    affiliation: Mapped[str] = mapped_column(String(200), default="")
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    body: Mapped[str | None] = mapped_column(Text)  # as published (personal data of others masked)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    audit_seq: Mapped[int | None] = mapped_column(Integer)
    audit_hash: Mapped[str | None] = mapped_column(String(64))


class HearingRegistration(Base):
    """A request to attend the consultation's hearing; the contact is for the organiser only."""

    __tablename__ = "consultation_hearing_registrations"
    __table_args__ = (UniqueConstraint("consultation_id", "contact_ref"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    phone: Mapped[str] = mapped_column(String(20))
    contact_ref: Mapped[str] = mapped_column(String(64))  # a keyed hash of the phone: one registration each
    position: Mapped[str] = mapped_column(String(20))  # support | oppose | neutral
    note: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(
        String(20), default="registered"
    )  # registered | waitlisted | confirmed
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class VoteRecord(Base):
    """One vote as cast, appended to its consultation's own keyed hash chain (the record of votes; never edited).

    `Vote` keeps each participant's last vote for counting; this log keeps every vote in order, chained so that
    an edited, inserted or deleted vote breaks it, and sealed into the global audit chain by the sweep and at the
    close (see docs/architecture.md, "The record of votes").
    """

    __tablename__ = "consultation_vote_log"

    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    participant_id: Mapped[int] = mapped_column(Integer)
    statement_id: Mapped[int] = mapped_column(Integer)
    value: Mapped[int] = mapped_column(SmallInteger)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
