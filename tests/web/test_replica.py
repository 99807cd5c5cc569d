"""A real primary and a real streaming replica (initdb, pg_basebackup -R): public reads go to the replica, writes
and the citizen's own tracking page to the primary, a browser that wrote reads its write, and a replica further
behind than the staleness bound is not used."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, text

from minyi.app import create_app
from minyi.db import make_engine, session_factory
from minyi.portal.pages import TRACK_COOKIE
from minyi.replica import LSN_PROBES
from minyi.web.signing import sign
from tests.support.factories import PASSWORD, make_org, submit
from tests.support.pgreset import empty_tables

pytestmark = [pytest.mark.postgres, pytest.mark.xdist_group("replica")]  # one replica under -n
MAX_LAG = 3.0


class Counted:
    """An engine and the application statements it ran (the router's position probes left out)."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        self.statements: list[str] = []

        def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            if (
                not any(probe in statement for probe in LSN_PROBES)
                and statement.lstrip()[:6].upper() == "SELECT"
            ):
                self.statements.append(statement)

        event.listen(self.engine, "before_cursor_execute", before)

    def take(self) -> int:
        n = len(self.statements)
        self.statements.clear()
        return n


@pytest.fixture
def world(pg_url: str, pg_replica_url: str) -> Iterator[tuple[Counted, Counted, Any]]:
    primary, replica = Counted(pg_url), Counted(pg_replica_url)
    empty_tables(primary.engine)
    with session_factory(primary.engine)() as s:
        org = make_org(s)
        case = submit(s, title="路灯不亮", body="东区中山路的路灯坏了一周。")
        code = case.tracking_code
    app = create_app(primary.engine, replica=replica.engine)
    app.state.replica.max_lag = MAX_LAG
    app.state.replica.check_seconds = 0.05
    yield primary, replica, {"org": org, "code": code, "case_id": case.id, "app": app}
    with replica.engine.connect() as conn:
        conn.execute(text("SELECT pg_wal_replay_resume()"))
    primary.engine.dispose()
    replica.engine.dispose()


def _caught_up(primary: Engine, replica: Engine) -> None:
    with primary.connect() as conn:
        target = conn.scalar(text("SELECT pg_current_wal_insert_lsn() - '0/0'::pg_lsn"))
    for _ in range(200):
        with replica.connect() as conn:
            if conn.scalar(text("SELECT pg_last_wal_replay_lsn() - '0/0'::pg_lsn")) >= target:
                return
        time.sleep(0.05)
    raise AssertionError("the replica did not catch up")


def _token(client: TestClient, username: str) -> dict[str, str]:
    r = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


PUBLIC_READS = [
    "/cases", "/cases?q=路灯", "/cases/{case_id}", "/scoreboard", "/scoreboard.csv", "/api/v1/public/cases",
    "/open311/v2/requests.json", "/open311/v2/requests/{case_id}.json", "/open311/v2/requests.xml", "/feeds/cases.atom",
]  # fmt: skip
CACHED = {"/scoreboard.csv"}  # the scoreboard just computed from the replica is cached per database


def test_public_reads_go_to_the_replica_and_the_tracking_page_to_the_primary(world: Any) -> None:
    primary, replica, w = world
    staff = TestClient(w["app"])
    accepted = staff.post(
        f"/api/v1/staff/cases/{w['case_id']}/accept", json={}, headers=_token(staff, "intake")
    )
    assert accepted.status_code == 200, accepted.text
    _caught_up(primary.engine, replica.engine)
    stranger = TestClient(w["app"])
    primary.take(), replica.take()
    for url in PUBLIC_READS:
        r = stranger.get(url.format(case_id=w["case_id"]))
        assert r.status_code == 200, (url, r.text)
        assert (replica.take() > 0 or url in CACHED, primary.take()) == (True, 0), url
    assert "路灯不亮" in stranger.get("/api/v1/public/cases").text
    replica.take()
    stranger.cookies.set(TRACK_COOKIE, sign("track", w["code"], 600))  # as POST /track leaves it
    for url in (f"/api/v1/cases/{w['code']}", "/track/case"):
        assert stranger.get(url).status_code == 200, url
        assert (primary.take() > 0, replica.take()) == (True, 0), url


def test_a_browser_that_wrote_reads_its_write_and_a_stale_replica_is_not_used(world: Any) -> None:
    primary, replica, w = world
    stranger, staff = TestClient(w["app"]), TestClient(w["app"])
    headers = _token(staff, "intake")
    _caught_up(primary.engine, replica.engine)
    with replica.engine.connect() as conn:
        conn.execute(text("SELECT pg_wal_replay_pause()"))
    time.sleep(0.1)
    assert stranger.get("/api/v1/public/cases").json() == []  # the router samples: the replica is fresh
    accepted = staff.post(f"/api/v1/staff/cases/{w['case_id']}/accept", json={}, headers=headers)
    assert accepted.status_code == 200, accepted.text
    written = time.monotonic()

    # within the bound the stranger reads the replica (the case is not there yet), the writer the primary
    assert stranger.get("/api/v1/public/cases").json() == []
    assert [c["title"] for c in staff.get("/api/v1/public/cases").json()] == ["路灯不亮"]
    assert time.monotonic() - written < MAX_LAG, "the machine was too slow to observe the bound"

    # past the bound the paused replica is skipped: everyone reads the primary
    time.sleep(MAX_LAG + 0.3)
    primary.take(), replica.take()
    assert [c["title"] for c in stranger.get("/api/v1/public/cases").json()] == ["路灯不亮"]
    assert replica.take() == 0 and primary.take() > 0

    # once it has replayed again, the replica serves the stranger
    with replica.engine.connect() as conn:
        conn.execute(text("SELECT pg_wal_replay_resume()"))
    _caught_up(primary.engine, replica.engine)
    time.sleep(0.1)
    stranger.get("/api/v1/public/cases")  # the router samples the positions again
    assert [c["title"] for c in stranger.get("/api/v1/public/cases").json()] == ["路灯不亮"]
    assert replica.take() > 0
