"""The insight views on the supervisor board: open alerts, hot issues of the last 30 days, weak replies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.cases.exports import iter_messages
from minyi.cases.models import Case
from minyi.cases.queries import visible_filter
from minyi.db import per_database

HOT_TTL = 600.0
HOT_WINDOW = 3000  # the newest messages of the month: keeps the board's first view under a second


@dataclass(frozen=True)
class HotLine:
    """One hot issue as the board shows it."""

    rank: int
    score: float
    place: str
    description: str
    count: int
    people: int
    codes: list[str]


@per_database(HOT_TTL)
def hot_issues(session: Session, now: datetime, top: int = 5) -> list[HotLine]:
    """The hottest matters of the last 30 days (recomputed at most every ten minutes)."""
    from minyi.insight.hot import rank_hot_issues

    messages = list(iter_messages(session, since=now - timedelta(days=30)))[-HOT_WINDOW:]
    lines = [
        HotLine(
            h.rank,
            round(h.score, 2),
            h.place,
            h.description,
            h.count,
            h.people,
            [m.id for m in h.messages][:5],
        )
        for h in rank_hot_issues(messages, top=top, now=now)
    ]
    return lines


def weak_replies(session: Session, actor: Actor, now: datetime, limit: int = 10) -> list[Case]:
    """Replies of the last 30 days that the quality check found weak, newest first."""
    stmt = (
        select(Case)
        .where(Case.reply_weak.is_(True), Case.replied_at >= now - timedelta(days=30), *visible_filter(actor))
        .order_by(Case.replied_at.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))
