"""The insight views on the supervisor board (hot issues of the last 30 days, weak replies), as the viewer may read them."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.access import ALL_DEPARTMENTS
from minyi.accounts.actor import Actor
from minyi.alerts.grouping import stored_keys
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
    households: int = 0  # of the people, households behind group demands (联名): the "why" of the count


def _rank(session: Session, now: datetime, top: int, viewer: Actor | None) -> list[HotLine]:
    """Rank over the shared grouping that `minyi watch` stores, so the board and the alerts name the same matters
    (cases not grouped yet join the stored matter their fresh group continues, or stand alone)."""
    from minyi.insight.hot import rank_hot_issues
    from minyi.insight.matters import shared_grouping

    since = now - timedelta(days=30)
    messages = list(iter_messages(session, since=since, viewer=viewer))[-HOT_WINDOW:]
    grouping, _ = shared_grouping(messages, stored_keys(session, since)) if messages else (None, {})
    return [
        HotLine(
            h.rank,
            round(h.score, 2),
            h.place,
            h.description,
            h.count,
            h.people,
            [m.id for m in h.messages][:5],
            h.households,
        )
        for h in rank_hot_issues(messages, top=top, now=now, grouping=grouping)
    ]


@per_database(HOT_TTL)
def _hot_without_confidential(session: Session, now: datetime, top: int) -> list[HotLine]:
    return _rank(session, now, top, None)


@per_database(HOT_TTL)
def _hot_with_confidential(session: Session, now: datetime, top: int, viewer: Actor) -> list[HotLine]:
    return _rank(session, now, top, viewer)


def hot_issues(session: Session, actor: Actor, now: datetime, top: int = 5) -> list[HotLine]:
    """The hottest matters of the last 30 days among the cases the actor may read (cached ten minutes).

    Staff who see every department share one of two cached rankings: with confidential cases for the cleared,
    without them for everyone else (a grant to one case does not bring it into the aggregate).
    """
    if actor.role in ALL_DEPARTMENTS:
        if actor.clearance:
            return _hot_with_confidential(session, now, top, actor)  # type: ignore[no-any-return]
        return _hot_without_confidential(session, now, top)  # type: ignore[no-any-return]
    return _rank(session, now, top, actor)


def warm_up() -> None:
    """Import and exercise the hot-issue ranking once (scikit-learn, jieba, cached patterns): seconds on a cold
    process, which the first supervisor to open the board would otherwise wait for."""
    from minyi.insight.hot import rank_hot_issues
    from minyi.insight.model import Message

    at = datetime.now(UTC)
    rank_hot_issues(
        [Message(str(i), f"u{i}", "幸福小区电梯故障", "幸福小区电梯故障多日无人维修", at) for i in range(3)]
    )


def start_warm_up() -> threading.Thread:
    """Warm the ranking in a background thread (the app calls this at start-up; serving is not delayed)."""
    thread = threading.Thread(target=warm_up, name="minyi-warm-insight", daemon=True)
    thread.start()
    return thread


def weak_replies(session: Session, actor: Actor, now: datetime, limit: int = 10) -> list[Case]:
    """Replies of the last 30 days that the quality check found weak, newest first."""
    stmt = (
        select(Case)
        .where(Case.reply_weak.is_(True), Case.replied_at >= now - timedelta(days=30), *visible_filter(actor))
        .order_by(Case.replied_at.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))
