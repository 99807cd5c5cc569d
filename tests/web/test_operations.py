"""Liveness, readiness, request ids and JSON log lines, and /metrics answered only to loopback and allowed networks."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from minyi.app import create_app
from minyi.cases import actions as act
from minyi.db import make_engine, reset_caches, session_factory
from minyi.ops.logs import JsonFormatter, request_id
from tests.support.factories import Org, submit
from tests.support.tamper import arrange


def _client(engine: Engine, host: str) -> TestClient:
    return TestClient(create_app(engine), client=(host, 50000))


@pytest.fixture
def local(sqlite_engine: Engine, org: Org) -> Iterator[TestClient]:
    with _client(sqlite_engine, "127.0.0.1") as c:
        yield c


def test_liveness_and_readiness(local: TestClient) -> None:
    assert local.get("/livez").json() == {"status": "ok"}
    r = local.get("/readyz")
    assert r.status_code == 200 and r.json() == {"status": "ready"}


def test_not_ready_on_a_database_that_is_not_migrated(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bare = make_engine(f"sqlite:///{tmp_path / 'bare.sqlite3'}")
    with _client(bare, "127.0.0.1") as c:
        assert c.get("/livez").status_code == 200
        r = c.get("/readyz")
        assert r.status_code == 503 and r.json()["error"]["code"] == "not_ready"
        assert "sqlite" not in r.text  # nothing about the installation leaks
    bare.dispose()


def test_request_ids_are_echoed_or_made(local: TestClient) -> None:
    assert local.get("/livez", headers={"X-Request-ID": "abc-123"}).headers["x-request-id"] == "abc-123"
    made = local.get("/livez", headers={"X-Request-ID": "bad id\twith junk"}).headers["x-request-id"]
    assert made != "bad id\twith junk" and len(made) == 32
    assert local.get("/nowhere").headers["x-request-id"]


def test_log_lines_are_json_with_the_request_id(local: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="minyi.access"):
        local.get("/api/v1/health", headers={"X-Request-ID": "req-42"})
    [record] = [r for r in caplog.records if r.name == "minyi.access"]
    token = request_id.set("req-42")
    try:
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id.reset(token)
    assert line["request_id"] == "req-42" and line["route"] == "/api/v1/health" and line["status"] == 200
    assert line["level"] == "info" and line["ms"] >= 0


def test_metrics_count_requests_queues_and_rungs(sqlite_engine: Engine, org: Org, local: TestClient) -> None:
    with session_factory(sqlite_engine)() as s:
        case = submit(s)
        act.do_accept(s, case, org.actor("intake"))
        s.execute(text("UPDATE cases SET understood_at = NULL"))
        arrange(s)
    local.get("/api/v1/health")
    local.get("/api/v1/cases/123456789")  # a templated route, never the raw path, is the label
    r = local.get("/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    body = r.text
    assert 'minyi_http_requests_total{method="GET",route="/api/v1/health",status="200"}' in body
    assert "123456789" not in body
    # the label is the whole template, the prefix of the included router with it (FastAPI keeps routes unprefixed)
    assert 'route="/api/v1/cases/{tracking_code}"' in body and 'route="/cases/{tracking_code}"' not in body
    assert "minyi_http_request_seconds_bucket" in body
    assert "minyi_understanding_queue 1.0" in body
    assert 'minyi_open_cases{level="0"} 1.0' in body
    assert "minyi_ladder_rungs_fired" in body


@pytest.mark.parametrize("host", ["203.0.113.9", "10.1.2.3", "testclient"])
def test_metrics_do_not_exist_for_other_addresses(sqlite_engine: Engine, host: str) -> None:
    with _client(sqlite_engine, host) as c:
        r = c.get("/metrics")
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def test_metrics_for_a_configured_network(sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MINYI_METRICS_NETWORKS", '["10.0.0.0/8"]')
    reset_caches()
    with _client(sqlite_engine, "10.1.2.3") as c:
        assert c.get("/metrics").status_code == 200
    with _client(sqlite_engine, "11.1.2.3") as c:
        assert c.get("/metrics").status_code == 404


def test_the_access_log_never_carries_a_tracking_code_or_a_receipt(caplog, sqlite_engine) -> None:  # type: ignore[no-untyped-def]
    import logging

    from fastapi.testclient import TestClient

    from minyi.app import create_app

    app = create_app(sqlite_engine)
    with caplog.at_level(logging.INFO, logger="minyi.access"), TestClient(app) as client:
        client.get("/api/v1/cases/SECRETCODE42X")
        client.get("/api/v1/reports/RECEIPT-SECRET-99", headers={"X-Report-Passphrase": "x"})
    logged = " ".join(str(r.__dict__) for r in caplog.records)
    assert "SECRETCODE42X" not in logged and "RECEIPT-SECRET-99" not in logged
    assert "{tracking_code}" in logged and "{receipt}" in logged  # the route templates instead
