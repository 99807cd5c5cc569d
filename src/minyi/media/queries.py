"""Reads of the media channel: the intake queue and the registered feeds."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.media.models import MediaCandidate, MediaFeed


def intake_queue(session: Session, status: str = "pending", limit: int = 100) -> list[MediaCandidate]:
    """Candidates by status, newest first."""
    stmt = select(MediaCandidate).where(MediaCandidate.status == status)
    return list(session.scalars(stmt.order_by(MediaCandidate.id.desc()).limit(limit)))


def active_feeds(session: Session) -> list[MediaFeed]:
    """The feeds `minyi media pull` reads."""
    return list(session.scalars(select(MediaFeed).where(MediaFeed.active.is_(True)).order_by(MediaFeed.id)))


def all_feeds(session: Session) -> list[MediaFeed]:
    """Every registered feed, active first (the administrators' page)."""
    return list(session.scalars(select(MediaFeed).order_by(MediaFeed.active.desc(), MediaFeed.id)))
