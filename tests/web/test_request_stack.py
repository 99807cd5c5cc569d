"""What every request pays for, kept small: the access line written by a background thread (and not built when no
one reads it), the metric children looked up once per label set, the page layer skipped outside pages, and the
trivial endpoint matched first without a thread hand-off."""

from __future__ import annotations

import inspect
import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import anyio.to_thread
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from minyi.app import create_app
from minyi.deps import SessionDep
from minyi.ops import logs, metrics
from minyi.uow import end_read
from tests.support.factories import Org


@pytest.fixture
def client(sqlite_engine: Engine, org: Org) -> Iterator[TestClient]:
    with TestClient(create_app(sqlite_engine)) as c:
        yield c


@pytest.fixture
def root_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    logs._stop_writer()
    root.handlers[:], root.level = handlers, level


def test_log_lines_are_written_by_a_background_thread_with_their_request_id(root_logging: None) -> None:
    out = io.StringIO()
    logs.configure_logging("INFO", stream=out)
    token = logs.request_id.set("req-7")
    try:
        logging.getLogger("minyi.test").info("saw %s", "it", extra={"n": 1})
    finally:
        logs.request_id.reset(token)
    logging.getLogger("minyi.test").warning("outside a request")
    assert isinstance(logging.getLogger().handlers[0], logs.Handoff)  # the request thread only enqueues
    logs._stop_writer()  # what is queued is written before the writer stops (as at exit)
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert (first["msg"], first["request_id"], first["n"]) == ("saw it", "req-7", 1)
    assert "request_id" not in second


def test_the_access_line_is_not_built_when_its_level_is_off(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("an access line was built for nobody")

    monkeypatch.setattr(logs.access, "info", refuse)
    monkeypatch.setattr(logs.access, "level", logging.WARNING)
    logs.access.manager._clear_cache()
    try:
        assert client.get("/api/v1/health").status_code == 200
    finally:
        logs.access.manager._clear_cache()


def test_metric_children_are_looked_up_once_per_label_set(monkeypatch: pytest.MonkeyPatch) -> None:
    looked_up: list[tuple[str, ...]] = []
    labels = metrics.REQUESTS.labels
    monkeypatch.setattr(metrics.REQUESTS, "labels", lambda *a: looked_up.append(a) or labels(*a))
    before = metrics.REQUESTS.labels("GET", "/test/once", "200")._value.get()
    looked_up.clear()
    for _ in range(3):
        metrics.observe_request("GET", "/test/once", 200, 0.001)
        metrics.observe_request("BREW", "/test/once", 200, 0.001)  # an odd method is one bounded label
    assert looked_up == [("GET", "/test/once", "200"), ("OTHER", "/test/once", "200")]
    assert labels("GET", "/test/once", "200")._value.get() == before + 3


def test_the_page_layer_sets_no_cookie_outside_pages(client: TestClient) -> None:
    assert "minyi_csrf" in client.get("/").headers.get("set-cookie", "")  # a page: the browser's CSRF cookie
    client.cookies.clear()
    for url in ("/api/v1/health", "/open311/v2/discovery.json", "/open311/v2/services.json"):
        r = client.get(url)
        assert r.status_code == 200 and "set-cookie" not in r.headers, url


def test_the_trivial_endpoint_is_matched_first_and_runs_on_the_event_loop(client: TestClient) -> None:
    first = next(r for r in client.app.router.routes if isinstance(r, APIRoute))  # type: ignore[attr-defined]
    assert first.path == "/api/v1/health" and inspect.iscoroutinefunction(first.endpoint)


def test_the_request_session_costs_no_thread_hand_off_and_is_always_given_back(
    sqlite_engine: Engine, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = create_app(sqlite_engine)

    @app.get("/api/v1/test-session/{end}")
    def read(end: bool, session: SessionDep) -> dict[str, int]:
        n = session.execute(text("SELECT 1")).scalar_one()
        if end:
            end_read(session)
        return {"n": n}

    hops: list[object] = []
    run_sync = anyio.to_thread.run_sync

    async def counted(fn: Any, *args: Any, **kwargs: Any) -> Any:
        hops.append(fn)
        return await run_sync(fn, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)
    with TestClient(app) as client:
        assert client.get("/api/v1/test-session/true").json() == {"n": 1}
        assert (
            len(hops) == 2
        )  # the endpoint and its response: the session is made and closed on the event loop
        hops.clear()
        assert client.get("/api/v1/test-session/false").json() == {"n": 1}
        assert len(hops) == 3  # a read left open: its rollback runs in a worker thread
    assert sqlite_engine.pool.checkedout() == 0  # type: ignore[attr-defined]
