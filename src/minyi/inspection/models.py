"""Tables of inspection rounds: the round and its team, what the public sends it, clues, rectification items."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from minyi.db import Base, UTCDateTime, utcnow


class InspectionRound(Base):
    """One round (巡视/巡察) of a unit: its window, its public line, its findings and the published report."""

    __tablename__ = "inspection_rounds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    unit_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    phone: Mapped[str | None] = mapped_column(String(40))
    stage: Mapped[str] = mapped_column(String(20), default="inspecting")
    findings: Mapped[str | None] = mapped_column(Text)
    findings_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rectification_due: Mapped[date | None] = mapped_column(Date)
    report_json: Mapped[str | None] = mapped_column(Text)  # the published report, redacted when generated
    report_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RoundMember(Base):
    """A member of a round's team (an inspector's account)."""

    __tablename__ = "inspection_round_members"
    __table_args__ = (UniqueConstraint("round_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("inspection_rounds.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    leader: Mapped[bool] = mapped_column(Boolean, default=False)


class RoundSubmission(Base):
    """A letter to the round's mailbox or a call registered to its line: for the team only. No IP address."""

    __tablename__ = "inspection_submissions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("inspection_rounds.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20))  # mailbox | phone
    body: Mapped[str] = mapped_column(Text)
    contact: Mapped[str | None] = mapped_column(String(300))
    registered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # a letter past the round's cap: kept for an inspector's review, neither listed nor counted until released
    held: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class ProblemClue(Base):
    """A problem clue (问题线索) the team marked, and to whom it was handed on."""

    __tablename__ = "inspection_clues"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("inspection_rounds.id"), index=True)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("inspection_submissions.id"))
    summary: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="marked")  # marked | handed_on
    handed_to: Mapped[str | None] = mapped_column(String(200))
    handover_note: Mapped[str | None] = mapped_column(Text)
    marked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    handed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RectificationItem(Base):
    """One item of the rectification list (整改清单): problem, responsible unit and post, measures, deadline."""

    __tablename__ = "rectification_items"
    __table_args__ = (UniqueConstraint("round_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("inspection_rounds.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    problem: Mapped[str] = mapped_column(Text)
    unit_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    post: Mapped[str] = mapped_column(String(100))
    measures: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    evidence_required: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="open")
    decision_reason: Mapped[str | None] = mapped_column(Text)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    overdue_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the notice (督办) after the deadline
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RectificationProgress(Base):
    """The unit's report on an item: what was done and the evidence (attachments will hang off this row's id)."""

    __tablename__ = "rectification_progress"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("rectification_items.id"), index=True)
    done: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text)
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    reported_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
