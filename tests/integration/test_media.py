"""Media feeds into the intake queue, on SQLite and PostgreSQL: pull, de-duplicate, accept, dismiss; the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from minyi.accounts.actor import SYSTEM
from minyi.audit.models import AuditEntry
from minyi.cases.models import Case
from minyi.db import session_factory
from minyi.errors import Conflict, NotFound
from minyi.intake.actions import do_submit_case
from minyi.media.actions import do_accept_candidate, do_dismiss_candidate, do_pull
from minyi.media.feeds import read_feed
from minyi.media.models import MediaCandidate
from minyi.uow import write
from tests.support.factories import make_org, submission
from tests.unit.test_media_rules import RSS

REPEAT = "翠湖花园小区3栋门口下水道堵塞，雨后积水一周没人管，居民出行困难，物业推诿不处理。"
FEED = f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>明川问政</title><id>urn:wenzheng</id><updated>2026-11-30T00:00:00Z</updated>
<entry><title>翠湖花园积水没人管</title><id>urn:w:1</id><link href="https://tv.example/w/1"/><updated>2026-11-29T00:00:00Z</updated>
<summary>{REPEAT}</summary></entry>
<entry><title>长庆街夜市噪声扰民</title><id>urn:w:2</id><link href="https://tv.example/w/2"/><updated>2026-11-29T00:00:00Z</updated>
<summary>居民反映长庆街夜市每晚营业到凌晨两点，噪声扰民，多次投诉无果。</summary></entry>
<entry><title>市领导调研秋粮收购</title><id>urn:w:3</id><updated>2026-11-29T00:00:00Z</updated><summary>工作有序推进。</summary></entry>
</feed>"""


def _feed(tmp_path: Path, text: str = FEED) -> str:
    tmp_path.mkdir(exist_ok=True)
    path = tmp_path / "feed.xml"
    path.write_text(text, encoding="utf-8")
    return path.as_uri()


def test_pull_marks_repeats_skips_news_and_is_idempotent(session: Session, tmp_path: Path) -> None:
    org = make_org(session)
    earlier, _ = do_submit_case(session, submission(title="翠湖花园积水", body=REPEAT))
    report = do_pull(session, SYSTEM, read_feed(_feed(tmp_path)), source_name="明川问政")
    assert (report.read, report.added, report.not_demand, report.seen) == (3, 2, 1, 0)
    rows = {r.title: r for r in session.scalars(select(MediaCandidate))}
    assert rows["翠湖花园积水没人管"].repeat_case_id == earlier.id
    assert (
        rows["长庆街夜市噪声扰民"].repeat_case_id is None and rows["长庆街夜市噪声扰民"].status == "pending"
    )
    again = do_pull(session, SYSTEM, read_feed(_feed(tmp_path)), source_name="明川问政")
    assert (again.added, again.seen) == (0, 2)
    # intake accepts one as a media case with its source link
    intake = org.actor("intake")
    case = do_accept_candidate(session, intake, rows["长庆街夜市噪声扰民"].id)
    assert case is not None and case.channel == "media" and "https://tv.example/w/2" in case.body
    with pytest.raises(Conflict):
        do_accept_candidate(session, intake, rows["长庆街夜市噪声扰民"].id)
    session.rollback()
    with pytest.raises(NotFound):  # a department's handler has no intake queue
        do_accept_candidate(session, org.actor("housing-handler"), rows["翠湖花园积水没人管"].id)
    session.rollback()
    assert session.scalar(select(Case.id).where(Case.channel == "media")) == case.id


def test_dismissal_is_on_the_audit_log(session: Session, tmp_path: Path) -> None:
    org = make_org(session)
    do_pull(session, SYSTEM, read_feed(_feed(tmp_path, RSS)), source_name="明川晚报")
    row = session.scalars(select(MediaCandidate)).one()
    do_dismiss_candidate(session, org.actor("intake"), row.id, reason="已有案件在办")
    assert session.get(MediaCandidate, row.id).status == "dismissed"  # type: ignore[union-attr]
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "media.dismiss")).one()
    assert entry.object_id == str(row.id) and entry.data["reason"] == "已有案件在办"


def test_cli_pulls_a_file_url(sqlite_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from minyi.cli import app
    from minyi.db import reset_caches

    monkeypatch.setenv("MINYI_DATABASE_URL", str(sqlite_engine.url))
    reset_caches()
    out = CliRunner().invoke(app, ["media", "pull", "--url", _feed(tmp_path), "--name", "明川问政"])
    assert out.exit_code == 0, out.output
    assert "read 3, added 2, not a demand 1" in out.output
    bad = CliRunner().invoke(app, ["media", "pull", "--url", "ftp://x/feed"])
    assert bad.exit_code == 1
    # a registered feed (on the audit log) is read by a plain `minyi media pull`
    added = CliRunner().invoke(app, ["media", "add", "明川晚报", _feed(tmp_path / "rss", RSS)])
    assert added.exit_code == 0, added.output
    out = CliRunner().invoke(app, ["media", "pull"])
    assert out.exit_code == 0 and "feeds 1, added 1, failed 0" in out.output, out.output
    again = CliRunner().invoke(app, ["media", "add", "明川晚报", _feed(tmp_path / "rss", RSS)])
    assert again.exit_code != 0
    with session_factory(sqlite_engine)() as s:
        actions = list(s.scalars(select(AuditEntry.action)))
    assert "media.register_feed" in actions


def test_a_misconduct_report_accepted_from_the_press_becomes_a_sealed_report_never_a_case(
    session: Session, tmp_path: Path
) -> None:
    from minyi.cases.rules import Kind
    from minyi.reports.models import MisconductReport

    org = make_org(session)
    do_pull(session, SYSTEM, read_feed(_feed(tmp_path)), source_name="明川问政")
    rows = {r.title: r for r in session.scalars(select(MediaCandidate))}
    bribe = rows["翠湖花园积水没人管"]
    with write(session, SYSTEM, bookkeeping="test data: a story of a bribe"):
        bribe.summary = "城管局执法队长向夜市摊主索要好处费，每月五百元。"
    intake = org.actor("intake")
    assert do_accept_candidate(session, intake, bribe.id) is None  # the steering rule on its text
    assert (
        do_accept_candidate(session, intake, rows["长庆街夜市噪声扰民"].id, kind=Kind.report) is None
    )  # by kind
    session.rollback()
    assert session.scalars(select(Case.id).where(Case.channel == "media")).all() == []
    reports = session.scalars(select(MisconductReport.what).order_by(MisconductReport.id)).all()
    assert len(reports) == 2 and "索要好处费" in reports[0]
    from minyi.accounts.security import dummy_hash

    hashes = session.scalars(select(MisconductReport.passphrase_hash)).all()
    assert set(hashes) == {dummy_hash()}  # the receipt goes to nobody: no Argon2 hash paid for it
    assert {r.status for r in session.scalars(select(MediaCandidate)) if r.title != "市领导调研秋粮收购"} == {
        "reported"
    }
    assert len(session.scalars(select(AuditEntry).where(AuditEntry.action == "media.steered")).all()) == 2
