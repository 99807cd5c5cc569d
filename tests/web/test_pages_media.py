"""The media intake queue page: intake sees the candidates and accepts one as a case; departments get 404."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from minyi.accounts.actor import SYSTEM
from minyi.db import session_factory
from minyi.media.actions import do_pull
from minyi.media.feeds import read_feed
from tests.integration.test_media import FEED
from tests.support.factories import PASSWORD, Org
from tests.web.pages_support import post_form, sign_in


def test_intake_accepts_a_candidate_and_a_handler_sees_no_queue(
    client: TestClient, org: Org, sqlite_engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(FEED, encoding="utf-8")
    with session_factory(sqlite_engine)() as s:
        do_pull(s, SYSTEM, read_feed(path.as_uri()), source_name="明川问政")
    assert sign_in(client, "housing-handler", PASSWORD).status_code == 303
    assert client.get("/staff/media").status_code == 404
    client.cookies.clear()
    assert sign_in(client, "intake", PASSWORD).status_code == 303
    page = client.get("/staff/media").text
    assert "长庆街夜市噪声扰民" in page and "市领导调研" not in page and "https://tv.example/w/2" in page
    first = page.index('action="/staff/media/') + len('action="/staff/media/')
    candidate = page[first : page.index("/", first)]
    r = post_form(client, "/staff/media", f"/staff/media/{candidate}/accept", {"kind": "complaint"})
    assert r.status_code == 303 and r.headers["location"].startswith("/staff/cases/")
    r = post_form(client, "/staff/media", f"/staff/media/{candidate}/accept", {"kind": "complaint"})
    assert r.status_code == 409


def test_an_administrator_adds_edits_and_disables_feeds_and_sees_the_last_error(
    client: TestClient, org: Org, sqlite_engine: Engine, tmp_path: Path
) -> None:
    from minyi.media.job import pull_feeds

    assert sign_in(client, "intake", PASSWORD).status_code == 303
    assert (
        client.get("/staff/feeds").status_code == 404
    )  # administrators only; others are told it does not exist
    client.cookies.clear()
    assert sign_in(client, "admin", PASSWORD).status_code == 303
    missing = (tmp_path / "gone.xml").as_uri()
    r = post_form(client, "/staff/feeds", "/staff/feeds", {"name": "明川晚报", "url": missing})
    assert r.status_code == 303
    r = post_form(client, "/staff/feeds", "/staff/feeds", {"name": "坏地址", "url": "ftp://x/feed"})
    assert r.status_code == 422 and "坏地址" not in client.get("/staff/feeds").text
    assert pull_feeds(sqlite_engine).failed == ["明川晚报"]
    page = client.get("/staff/feeds").text
    assert 'id="feed-1-error"' in page and "明川晚报" in page
    r = post_form(client, "/staff/feeds", "/staff/feeds/1", {"name": "明川晚报（停用）", "url": missing})
    assert r.status_code == 303
    page = client.get("/staff/feeds").text
    assert "明川晚报（停用）" in page and "已停用" in page
    assert pull_feeds(sqlite_engine).feeds == 0
