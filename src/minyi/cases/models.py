"""Tables of the case slice: cases, submitters (kept apart), the hash-chained events, and their companions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from minyi.db import Base, UTCDateTime, utcnow


class Submitter(Base):
    """Who asked, and how to reach them: stored apart from the case text, never shown in public."""

    __tablename__ = "submitters"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(40), index=True)
    email: Mapped[str | None] = mapped_column(String(200))
    id_number: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(String(300))
    # whether and how they want to hear from us (email | sms | wechat; none: no messages, opt-in) and in what
    wechat_openid: Mapped[str | None] = mapped_column(String(64))
    notify_by: Mapped[str | None] = mapped_column(String(10))
    language: Mapped[str | None] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


GROUP = text("households >= 2")  # a committee's group demand (联名), counted per region on the scoreboard


class Case(Base):
    """One demand (诉求件) with its current state, clocks and understanding."""

    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("external_source", "external_ref"),
        # the work queue: a page walked by deadline, its total counted from the index alone (migration 0039)
        Index("ix_cases_queue", "department_id", "due_at", "status", postgresql_include=["visibility", "id"]),
        Index("ix_cases_status_due", "status", "due_at"),
        Index("ix_cases_public", "visibility", "registered_at"),
        # the scoreboard's households per region: the few group demands, not a scan of every case
        Index(
            "ix_cases_group_demands", "region_code", "households", postgresql_where=GROUP, sqlite_where=GROUP
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tracking_code: Mapped[str] = mapped_column(String(16), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    # title and body as the public reads them (masked), kept for the public word search: `minyi db reindex`
    public_title: Mapped[str | None] = mapped_column(Text, deferred=True)
    public_body: Mapped[str | None] = mapped_column(Text, deferred=True)
    # the redaction revision (`redaction.text_revision`) the public text was masked with; null: mask again
    public_text_rev: Mapped[str | None] = mapped_column(String(16), deferred=True)
    # the reply as the public reads it (masked with the submitter's identities) and the revision it was masked with
    public_reply: Mapped[str | None] = mapped_column(Text, deferred=True)
    public_reply_rev: Mapped[str | None] = mapped_column(String(16), deferred=True)
    region_code: Mapped[str | None] = mapped_column(String(12), ForeignKey("regions.code"), index=True)
    address: Mapped[str | None] = mapped_column(String(300))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    topic_code: Mapped[str | None] = mapped_column(String(40), index=True)
    visibility: Mapped[str] = mapped_column(String(20), default="public")
    status: Mapped[str] = mapped_column(String(20))
    stage: Mapped[str | None] = mapped_column(String(20))
    round: Mapped[int] = mapped_column(Integer, default=1)
    policy_name: Mapped[str] = mapped_column(String(100))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    submitter_id: Mapped[int | None] = mapped_column(ForeignKey("submitters.id"), index=True)
    submitter: Mapped[Submitter | None] = relationship(lazy="raise_on_sql")
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    on_behalf_of: Mapped[str | None] = mapped_column(String(200))
    households: Mapped[int | None] = mapped_column(
        Integer
    )  # a committee's group demand (联名): households behind it
    master_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    external_source: Mapped[str | None] = mapped_column(String(40))
    external_ref: Mapped[str | None] = mapped_column(String(80))

    registered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    handling_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    remind_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accountability_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    next_escalation_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # 暂定: the deadline falls in a year whose official holiday schedule is not known yet.
    deadline_provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    extension_days: Mapped[int] = mapped_column(Integer, default=0)

    reply_text: Mapped[str | None] = mapped_column(Text)
    reply_score: Mapped[float | None] = mapped_column(Float)
    reply_weak: Mapped[bool | None] = mapped_column(Boolean)
    reply_issues: Mapped[Any] = mapped_column(JSON, default=list)
    decline_reason: Mapped[str | None] = mapped_column(Text)
    return_reason: Mapped[str | None] = mapped_column(Text)
    evaluation: Mapped[str | None] = mapped_column(String(20))
    evaluation_comment: Mapped[str | None] = mapped_column(Text)
    evaluated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    topic_suggested: Mapped[str | None] = mapped_column(String(40))
    topic_confidence: Mapped[float | None] = mapped_column(Float)
    topic_model_version: Mapped[str | None] = mapped_column(String(60))
    urgency_model_version: Mapped[str | None] = mapped_column(String(60))  # "rules" or a retrained version
    needs_triage: Mapped[bool] = mapped_column(Boolean, default=False)
    suggested_department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    emotion_negativity: Mapped[float | None] = mapped_column(Float)
    emotion_intensity: Mapped[float | None] = mapped_column(Float)
    urgency_flags: Mapped[Any] = mapped_column(JSON, default=list)
    repeat_of_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    text_signature: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    understood_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event_count: Mapped[int] = mapped_column(Integer, default=0)
    last_event_hash: Mapped[str] = mapped_column(String(64), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)


RETURNS = text("action = 'return'")  # the events the scoreboard counts as returns (退回)


class CaseEvent(Base):
    """One append-only step in a case's history; each hash covers the one before it."""

    __tablename__ = "case_events"
    __table_args__ = (
        UniqueConstraint("case_id", "seq"),
        # the scoreboard's returns (退回): a small partial index instead of a scan of every event
        Index("ix_case_events_returns", "case_id", postgresql_where=RETURNS, sqlite_where=RETURNS),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_label: Mapped[str] = mapped_column(String(100))
    actor_role: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    data: Mapped[Any] = mapped_column(JSON, default=dict)
    public: Mapped[bool] = mapped_column(Boolean, default=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class CoHandler(Base):
    """A department that helps answer a case (协办)."""

    __tablename__ = "case_co_handlers"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), primary_key=True, index=True)


class CaseGrant(Base):
    """An explicit permission for one user to see one confidential case."""

    __tablename__ = "case_grants"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)


class ExtensionRequest(Base):
    """A department's request for more time, decided by a supervisor."""

    __tablename__ = "extension_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    days: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str | None] = mapped_column(Text)


class IdempotencyKey(Base):
    """Remembers a submission so that a retried POST returns the same case."""

    __tablename__ = "idempotency_keys"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CaseBand(Base):
    """One LSH band key of a case's text, for finding repeats among millions."""

    __tablename__ = "case_bands"

    __table_args__ = (Index("ix_case_bands_key_case", "band_key", "case_id"),)

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    band_key: Mapped[int] = mapped_column(BigInteger, primary_key=True)


class CaseLink(Base):
    """A found repeat: this case is about the same matter as an earlier one."""

    __tablename__ = "case_links"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    other_case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True, index=True)
    similarity: Mapped[float] = mapped_column(Float)
    same_submitter: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReplyTemplateRow(Base):
    """A reusable reply text (答复模板) that administrators keep for handlers to start from."""

    __tablename__ = "reply_templates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AlertRow(Base):
    """An early-warning alert (预警): a surge of messages on a topic, in a region or on one hot issue."""

    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    series: Mapped[str] = mapped_column(String(200))
    window_start: Mapped[date] = mapped_column(Date)
    window_end: Mapped[date] = mapped_column(Date)
    count: Mapped[int] = mapped_column(Integer)
    expected: Mapped[float] = mapped_column(Float)
    ratio: Mapped[float] = mapped_column(Float)
    p_value: Mapped[float] = mapped_column(Float)
    weighted: Mapped[float] = mapped_column(Float)
    examples: Mapped[Any] = mapped_column(JSON, default=list)
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    acknowledged_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ack_note: Mapped[str | None] = mapped_column(Text)
