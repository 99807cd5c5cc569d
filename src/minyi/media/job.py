"""The periodic media job (run by `minyi sweep` and `minyi media pull`): read every active feed, queue the
candidates, and keep on each feed when it was last tried and why it failed (shown on the admin page)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from minyi.accounts.actor import SYSTEM
from minyi.db import session_factory, utcnow
from minyi.errors import MinyiError
from minyi.media.actions import do_pull
from minyi.media.feeds import read_feed
from minyi.media.models import MediaFeed
from minyi.media.queries import active_feeds
from minyi.uow import end_read, write

FETCH_NOTE = "a feed's last attempt and error: the job's bookkeeping, not a decision of anyone's"


@dataclass
class FeedsReport:
    """What one run did: feeds read, candidates added, feeds that failed (by name)."""

    feeds: int = 0
    added: int = 0
    failed: list[str] = field(default_factory=list)


def _note(session: Session, feed_id: int, now: datetime, error: str | None) -> None:
    with write(session, SYSTEM, bookkeeping=FETCH_NOTE):
        feed = session.get(MediaFeed, feed_id)
        if feed is not None:
            feed.last_attempt_at, feed.last_error = now, error[:2000] if error else None


def pull_feeds(engine: Engine | None = None, now: datetime | None = None) -> FeedsReport:
    """Read every active feed once; a feed that fails is noted and the others are still read."""
    now = now or utcnow()
    report = FeedsReport()
    with session_factory(engine)() as session:
        feeds = [(f.id, f.name, f.url) for f in active_feeds(session)]
        end_read(session)
        for feed_id, name, url in feeds:
            report.feeds += 1
            try:
                pulled = do_pull(session, SYSTEM, read_feed(url), source_name=name, feed_id=feed_id)
            except MinyiError as exc:
                session.rollback()
                report.failed.append(name)
                _note(session, feed_id, now, f"{exc.message_zh}（{exc.message_en}）")
                continue
            report.added += pulled.added
            _note(session, feed_id, now, None)
    return report
