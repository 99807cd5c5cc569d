"""The periodic media job, on SQLite and PostgreSQL, against local feed files only (never the network): every
active feed is read, a failing one is noted on the feed and does not stop the others, a disabled one is skipped."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.accounts.roles import Role
from minyi.errors import Forbidden, InvalidInput
from minyi.jobs import run_periodic
from minyi.media.actions import do_register_feed, do_update_feed
from minyi.media.job import pull_feeds
from minyi.media.models import MediaCandidate, MediaFeed
from tests.integration.test_media import FEED, _feed
from tests.support.factories import make_org

ADMIN = Actor(Role.admin, "admin")


def test_the_job_reads_every_active_feed_and_notes_the_one_that_fails(
    engine: Engine, session: Session, tmp_path: Path
) -> None:
    make_org(session)
    good = do_register_feed(session, ADMIN, name="明川问政", url=_feed(tmp_path))
    broken = do_register_feed(session, ADMIN, name="明川晚报", url=(tmp_path / "gone.xml").as_uri())
    good_id, broken_id = good.id, broken.id
    report = pull_feeds(engine)
    assert (report.feeds, report.added, report.failed) == (2, 2, ["明川晚报"])
    session.rollback()
    session.expire_all()
    ok, bad = session.get(MediaFeed, good_id), session.get(MediaFeed, broken_id)
    assert ok is not None and ok.last_pulled_at is not None and ok.last_error is None
    assert (
        bad is not None and bad.last_attempt_at is not None and bad.last_error and "missing" in bad.last_error
    )
    (tmp_path / "gone.xml").write_text(FEED.replace("urn:w:", "urn:x:"), encoding="utf-8")
    do_update_feed(session, ADMIN, broken_id, name="明川晚报", url=bad.url, active=False)  # disabled: skipped
    assert pull_feeds(engine).feeds == 1
    do_update_feed(session, ADMIN, broken_id, name="明川晚报", url=bad.url, active=True)
    assert run_periodic(engine)["media"] == {"feeds": 2, "added": 2, "failed": []}  # beside the sweep
    session.rollback()
    assert session.scalar(select(func.count()).select_from(MediaCandidate)) == 4
    session.expire_all()
    assert session.get(MediaFeed, broken_id).last_error is None  # type: ignore[union-attr]


def test_only_administrators_edit_a_feed_and_bad_addresses_are_refused(
    session: Session, tmp_path: Path
) -> None:
    org = make_org(session)
    feed = do_register_feed(session, ADMIN, name="明川问政", url=_feed(tmp_path))
    with pytest.raises(Forbidden):
        do_update_feed(session, org.actor("intake"), feed.id, name="x", url=feed.url, active=False)
    with pytest.raises(InvalidInput):
        do_update_feed(session, ADMIN, feed.id, name="明川问政", url="ftp://x/feed", active=True)
    session.rollback()
    session.expire_all()
    assert session.get(MediaFeed, feed.id).active  # type: ignore[union-attr]
