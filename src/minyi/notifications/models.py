"""Tables of the notification slice: the outbox and staff members' contact preferences."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from minyi.db import Base, UTCDateTime, utcnow


class Notification(Base):
    """One message to one person on one channel, written in the transaction of the event that causes it."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("event_key", "recipient", "channel"),
        Index("ix_notifications_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_key: Mapped[str] = mapped_column(String(80))  # case:<id>:<seq> or digest:<date>:<department>
    recipient: Mapped[str] = mapped_column(String(40))  # submitter:<id> or user:<id>
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    channel: Mapped[str] = mapped_column(String(10))  # email | sms | wechat | workbench
    address: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(5), default="zh")
    template: Mapped[str] = mapped_column(String(40))
    params: Mapped[Any] = mapped_column(JSON, default=dict)
    # pending | sent | dead | unconfigured (no channel set up) | shown (workbench only) | cancelled (unsubscribed)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class StaffContact(Base):
    """How a member of staff wants to be told (the workbench always shows their notifications too)."""

    __tablename__ = "staff_contacts"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    wechat_openid: Mapped[str | None] = mapped_column(String(64))
    notify_by: Mapped[str | None] = mapped_column(String(10))
    language: Mapped[str] = mapped_column(String(5), default="zh")


class Subscription(Base):
    """Someone who asked to hear of a topic (a consultation's feedback report, new consultations, a proposer's
    items), on one channel; it counts once its owner confirms it by the link sent to that address."""

    __tablename__ = "notify_subscriptions"
    __table_args__ = (UniqueConstraint("topic", "channel", "address"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    topic: Mapped[str] = mapped_column(
        String(60), index=True
    )  # consultations | consultation:<id> | proposer:<id>
    channel: Mapped[str] = mapped_column(String(10))  # email | sms
    address: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(5), default="zh")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
