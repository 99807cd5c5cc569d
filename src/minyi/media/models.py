"""Tables of the media channel: registered feeds and the intake candidates read from them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from minyi.db import Base, UTCDateTime, utcnow


class MediaFeed(Base):
    """An RSS/Atom feed an administrator registered (local news, the 问政 programme)."""

    __tablename__ = "media_feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    url: Mapped[str] = mapped_column(String(500), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_pulled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)  # why the last fetch failed (None: it worked)


class MediaCandidate(Base):
    """A feed item that describes a public demand, waiting in the intake queue (accepted becomes a case)."""

    __tablename__ = "media_candidates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    feed_id: Mapped[int | None] = mapped_column(ForeignKey("media_feeds.id"), index=True)
    source_name: Mapped[str] = mapped_column(String(100))
    guid: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the entry's id or link
    source_url: Mapped[str] = mapped_column(String(500))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    repeat_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    similarity: Mapped[float | None] = mapped_column(Float)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
