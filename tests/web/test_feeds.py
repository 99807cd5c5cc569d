"""Atom feeds of newly published cases and replies: valid Atom (parsed back by feedparser), filtered, public only."""

from __future__ import annotations

import feedparser
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.support.factories import Org
from tests.web.open311_world import World, make_world


@pytest.fixture
def world(sqlite_engine: Engine, org: Org, client: TestClient) -> World:
    return make_world(sqlite_engine, org)


def _entries(client: TestClient, url: str) -> list[str]:
    r = client.get(url)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(r.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10" and parsed.feed.title
    return [e.link.rsplit("/", 1)[1] for e in parsed.entries]


def test_feeds_of_cases_and_replies_hold_public_cases_only(client: TestClient, world: World) -> None:
    assert sorted(_entries(client, "/feeds/cases.atom")) == sorted([str(world.open_id), str(world.closed_id)])
    assert _entries(client, "/feeds/replies.atom") == [str(world.closed_id)]
    assert _entries(client, "/feeds/cases.atom?lang=en")


def test_feeds_per_department_region_and_topic(client: TestClient, world: World, org: Org) -> None:
    assert _entries(client, f"/feeds/cases.atom?department={org.housing.id}") == [str(world.closed_id)]
    assert _entries(client, f"/feeds/cases.atom?department={org.transport.id}") == []
    assert len(_entries(client, "/feeds/cases.atom?topic=01")) == 2
    assert _entries(client, "/feeds/cases.atom?topic=02") == []
    assert _entries(client, "/feeds/cases.atom?topic=01.01") == [str(world.open_id)]
    assert len(_entries(client, "/feeds/cases.atom?region=99")) == 2
    assert _entries(client, "/feeds/cases.atom?region=98") == []


@pytest.mark.parametrize(
    "url", ["/feeds/other.atom", "/feeds/cases.atom?topic=01%25", "/feeds/cases.atom?region=_"]
)
def test_bad_feed_requests_are_refused(client: TestClient, world: World, url: str) -> None:
    assert client.get(url).status_code in (404, 422)


def test_the_case_list_links_its_feeds(client: TestClient, world: World) -> None:
    page = client.get("/cases?topic=01").text
    assert 'type="application/atom+xml"' in page and "/feeds/cases.atom?topic=01" in page
    assert "/feeds/replies.atom" in page
