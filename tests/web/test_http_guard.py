"""The HTTP surface under attack: streamed bodies, ids past 64 bits, control characters, headers on every answer."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from minyi.app import create_app
from minyi.db import session_factory
from minyi.fields import MAX_ID
from minyi.http_guard import MAX_REQUEST_BYTES, SECURITY_HEADERS
from tests.support.factories import make_org

HUGE = "99999999999999999999"  # past 2^64
LARGEST = str(MAX_ID)  # the largest id a column holds: missing, so 404


@pytest.fixture
def app(sqlite_engine: Engine) -> FastAPI:
    return create_app(sqlite_engine)


@pytest.fixture
def both(engine: Engine) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """A client on SQLite and on PostgreSQL, with an intake operator's token."""
    with session_factory(engine)() as s:
        make_org(s)
    with TestClient(create_app(engine)) as c:
        r = c.post("/api/v1/auth/token", json={"username": "intake", "password": "correct horse battery"})
        yield c, {"Authorization": f"Bearer {r.json()['access_token']}"}


def _post_streamed(
    app: FastAPI, path: str, chunk: bytes, chunks: int, content_type: bytes
) -> tuple[int, int]:
    """POST a chunked body (no Content-Length) of `chunks` × `chunk` straight to the ASGI app; returns the
    status and how many bytes the app pulled before it answered."""
    pulled = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        if pulled >= len(chunk) * chunks:
            return {"type": "http.disconnect"}
        pulled += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": pulled < len(chunk) * chunks}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
        "headers": [(b"host", b"testserver"), (b"content-type", content_type),
                    (b"transfer-encoding", b"chunked")],
        "client": ("203.0.113.9", 4000), "server": ("testserver", 80), "state": {},
    }  # fmt: skip

    async def run() -> None:
        async with app.router.lifespan_context(app):
            await app(scope, receive, send)

    with ThreadPoolExecutor(1) as pool:  # a loop of its own, whatever runs in this thread (browser tests)
        pool.submit(asyncio.run, run()).result()
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], pulled


@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/api/v1/auth/token", b"application/json"), ("/staff/login", b"application/x-www-form-urlencoded")],
)
def test_a_chunked_body_is_cut_off_at_the_limit(app: FastAPI, path: str, content_type: bytes) -> None:
    chunk = b"a" * 65536
    status, pulled = _post_streamed(app, path, chunk, chunks=20 * 16, content_type=content_type)  # 20 MB
    assert status == 413
    assert pulled <= MAX_REQUEST_BYTES + len(chunk)


def test_a_declared_length_over_the_limit_is_refused_unread(client: TestClient) -> None:
    r = client.post("/api/v1/cases", content=b"{}", headers={"content-length": str(MAX_REQUEST_BYTES + 1)})
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"


def test_huge_ids_name_nothing_in_urls_and_are_invalid_in_bodies_and_queries(both: Any) -> None:
    client, intake = both
    missing = client.get(f"/api/v1/staff/cases/{LARGEST}", headers=intake)
    assert missing.status_code == 404
    for huge in (HUGE, MAX_ID + 1, 2**63 - 1):
        r = client.get(f"/api/v1/staff/cases/{huge}", headers=intake)
        assert r.status_code == 404 and r.json() == missing.json(), huge
    assert client.post(f"/api/v1/staff/cases/{LARGEST}/accept", json={}, headers=intake).status_code == 404
    assert client.get("/api/v1/public/cases", params={"before_id": HUGE}).status_code == 422
    assert client.get("/api/v1/public/cases", params={"before_id": LARGEST}).status_code == 200
    assert client.get(f"/cases/{HUGE}").status_code == 404
    assert client.get(f"/cases/{LARGEST}").status_code == 404
    body = {"department_id": 1, "co_handler_ids": [int(HUGE)]}
    r = client.post(f"/api/v1/staff/cases/{LARGEST}/assign", json=body, headers=intake)
    assert r.status_code == 422 and r.json()["error"]["field"].startswith("co_handler_ids")
    rule = {"department_id": int(HUGE), "topic_prefix": "01"}
    assert client.post("/api/v1/routing-rules", json=rule, headers=intake).status_code == 422


def test_nul_and_control_characters_are_refused_everywhere(both: Any) -> None:
    client, _ = both
    case = {"kind": "complaint", "title": "路灯不亮", "body": "湖滨路的路灯坏了", "region_code": "990102"}
    for contact in ({"name": "张\x00三"}, {"address": "湖滨路\x0018号"}, {"phone": "1380\x000000000"}):
        r = client.post("/api/v1/cases", json={**case, "contact": contact})
        assert r.status_code == 422, contact
        assert r.json()["error"]["field"].startswith("contact.")
    r = client.post("/api/v1/auth/token", json={"username": "in\x00take", "password": "x"})
    assert r.status_code == 422
    assert client.get("/api/v1/staff/queue", params={"q": "a\x00b"}).status_code == 422
    assert client.get("/cases", params={"q": "路灯\x00"}).status_code == 422
    token_page = client.get("/staff/login")
    assert token_page.status_code == 200
    r = client.post("/staff/login", content=b"username=in%00take&password=x&csrf_token=t",
                    headers={"content-type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert r.status_code == 422
    assert client.post("/api/v1/cases", json=case).status_code == 201


def test_every_response_carries_the_security_headers(app: FastAPI, org: Any) -> None:
    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("planted")

    with TestClient(app, raise_server_exceptions=False) as client:
        answers = {
            "api": client.get("/api/v1/health"),
            "static": client.get("/static/css/minyi.css"),
            "page": client.get("/"),
            "404": client.get("/api/v1/nothing-here"),
            "422": client.get("/api/v1/public/cases", params={"limit": "x"}),
            "413": client.post("/api/v1/cases", content=b"{}", headers={"content-length": "99999999"}),
            "500": client.get("/boom"),
        }
    for name, r in answers.items():
        for header, value in SECURITY_HEADERS.items():
            assert r.headers.get(header) == value, (name, header)
    assert answers["500"].status_code == 500
    assert answers["500"].json()["error"]["code"] == "server_error"
    assert "planted" not in answers["500"].text


def test_head_answers_like_get_without_a_body(client: TestClient) -> None:
    for url in ("/", "/api/v1/health", "/static/css/minyi.css"):
        r = client.head(url)
        assert r.status_code == 200 and r.content == b"", url


def test_the_api_docs_and_the_favicon_come_from_local_files(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert "https://" not in page.text and "<script>" not in page.text
    for asset in ("/static/vendor/swagger-ui/swagger-ui-bundle.js", "/static/vendor/swagger-ui/swagger-ui.css",
                  "/static/js/api-docs.js"):  # fmt: skip
        assert asset in page.text
        assert client.get(asset).status_code == 200, asset
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/x-icon"
    assert icon.content[:4] == b"\x00\x00\x01\x00"
