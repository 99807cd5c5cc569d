"""Writes of the media channel: register a feed, pull candidates, accept one as a case or dismiss it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.access import DISPATCH
from minyi.accounts.actor import Actor
from minyi.accounts.roles import Role
from minyi.cases.models import Case
from minyi.cases.rules import Channel, Kind
from minyi.cases.schemas import CaseSubmission
from minyi.db import utcnow
from minyi.errors import Conflict, Forbidden, InvalidInput, NotFound
from minyi.intake.actions import do_submit_case
from minyi.intake.steering import do_steer_to_reports, should_steer
from minyi.media.models import MediaCandidate, MediaFeed
from minyi.media.rules import FeedItem, check_feed_url, looks_like_demand
from minyi.understanding.apply import understand_text
from minyi.uow import Tx, current_tx, unit_of_work, write

PULL_NOTE = "candidates wait in a queue; each acceptance is a case event, each dismissal an audit entry"


@dataclass(frozen=True)
class PullReport:
    """What a pull did: items read, candidates added, items skipped as not a demand or already seen."""

    read: int
    added: int
    not_demand: int
    seen: int


@unit_of_work
def do_register_feed(session: Session, actor: Actor, *, name: str, url: str) -> MediaFeed:
    """An administrator registers a feed (local news, the 问政 programme) for `minyi media pull`."""
    if actor.role != Role.admin:
        raise Forbidden("仅管理员可登记媒体订阅", "administrators only")
    url, name = check_feed_url(url), name.strip()[:100]
    if not name:
        raise InvalidInput("请填写名称", "a feed needs a name", field="name")
    if session.scalar(select(MediaFeed.id).where(MediaFeed.url == url)) is not None:
        raise Conflict("该订阅已登记", "this feed is already registered", field="url")
    feed = MediaFeed(name=name, url=url)
    session.add(feed)
    session.flush()
    _tx(session).record("media.register_feed", "media_feed", feed.id, {"name": name, "url": url})
    return feed


def do_update_feed(
    session: Session, actor: Actor, feed_id: int, *, name: str, url: str, active: bool
) -> MediaFeed:
    """An administrator renames, re-points, disables or re-enables a feed, on the audit record."""
    if actor.role != Role.admin:
        raise Forbidden("仅管理员可修改媒体订阅", "administrators only")
    url, name = check_feed_url(url), name.strip()[:100]
    if not name:
        raise InvalidInput("请填写名称", "a feed needs a name", field="name")
    if session.get(MediaFeed, feed_id) is None if 1 <= feed_id < 2**31 else True:
        raise NotFound("媒体订阅", "feed")
    if session.scalar(select(MediaFeed.id).where(MediaFeed.url == url, MediaFeed.id != feed_id)) is not None:
        raise Conflict("该订阅已登记", "this feed is already registered", field="url")
    with write(session, actor) as tx:
        feed = session.get(MediaFeed, feed_id, with_for_update=True, populate_existing=True)
        assert feed is not None  # feeds are never deleted
        if url != feed.url:
            feed.last_error = None  # the error was the old address's
        feed.name, feed.url, feed.active = name, url, active
        tx.record("media.update_feed", "media_feed", feed.id, {"name": name, "url": url, "active": active})
    return feed


def do_pull(session: Session, actor: Actor, items: list[FeedItem], *, source_name: str,
            feed_id: int | None = None) -> PullReport:  # fmt: skip
    """Turn the items that describe a public demand into candidates, each checked against existing cases for a
    repeat (the project's own repeat detection); items already seen are skipped (re-pulling is idempotent)."""
    known = set(
        session.scalars(select(MediaCandidate.guid).where(MediaCandidate.guid.in_([i.guid for i in items])))
    )
    fresh = [i for i in items if i.guid not in known and looks_like_demand(i.title, i.summary)]
    found = {}
    for item in fresh:  # CPU-heavy understanding before the write begins
        links = understand_text(session, item.title, item.summary, region_code=None, topic_code=None).links
        found[item.guid] = links[0] if links else None
    with write(session, actor, bookkeeping=PULL_NOTE):
        for item in fresh:
            link = found[item.guid]
            session.add(MediaCandidate(
                feed_id=feed_id, source_name=source_name[:100], guid=item.guid, source_url=item.link,
                title=item.title, summary=item.summary, published_at=item.published_at,
                repeat_case_id=link.other_id if link else None, similarity=link.similarity if link else None,
            ))  # fmt: skip
        if feed_id is not None:
            feed = session.get(MediaFeed, feed_id)
            if feed is not None:
                feed.last_pulled_at = utcnow()
    not_demand = sum(1 for i in items if i.guid not in known and not looks_like_demand(i.title, i.summary))
    return PullReport(len(items), len(fresh), not_demand, len(known))


def _tx(session: Session) -> Tx:
    tx = current_tx(session)
    assert tx is not None, "called outside its unit of work"
    return tx


def _pending(session: Session, actor: Actor, candidate_id: int) -> MediaCandidate:
    if actor.role not in DISPATCH:
        raise NotFound("候选线索", "candidate")
    row = (
        session.get(MediaCandidate, candidate_id, with_for_update=True) if 1 <= candidate_id < 2**31 else None
    )
    if row is None:
        raise NotFound("候选线索", "candidate")
    if row.status != "pending":
        raise Conflict("该线索已处理", "this candidate was already decided", field="status")
    return row


@unit_of_work
def do_accept_candidate(
    session: Session, actor: Actor, candidate_id: int, *, kind: Kind = Kind.complaint
) -> Case | None:
    """Intake accepts a candidate: it becomes a case on the media channel with the source link in its text.

    A misconduct report (kind 举报, or the steering rule on its text) becomes a sealed report for the inspectors
    instead, never a case (None): anonymous, its receipt given to nobody (the press is not a reporter to answer)."""
    row = _pending(session, actor, candidate_id)
    body = f"{row.summary or row.title}\n\n来源：{row.source_name} {row.source_url}".strip()
    sub = CaseSubmission(kind=kind, channel=Channel.media, title=row.title, body=body[:10_000],
                         on_behalf_of=row.source_name)  # fmt: skip
    if should_steer(sub):
        do_steer_to_reports(session, sub, reporter_access=False)
        row.status, row.decided_by, row.decided_at = "reported", actor.user_id, utcnow()
        _tx(session).record("media.steered", "media_candidate", row.id, {})
        return None
    case, _created = do_submit_case(session, sub, actor=actor)
    row.status, row.case_id, row.decided_by, row.decided_at = "accepted", case.id, actor.user_id, utcnow()
    return case


@unit_of_work
def do_dismiss_candidate(session: Session, actor: Actor, candidate_id: int, *, reason: str) -> None:
    """Intake dismisses a candidate (not a demand, a repeat of a case), with the reason on the audit log."""
    if not reason.strip():
        raise InvalidInput("请填写理由", "give a reason", field="reason")
    row = _pending(session, actor, candidate_id)
    row.status, row.reason, row.decided_by, row.decided_at = (
        "dismissed",
        reason.strip()[:2000],
        actor.user_id,
        utcnow(),
    )
    _tx(session).record("media.dismiss", "media_candidate", row.id, {"reason": row.reason})
