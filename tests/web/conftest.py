"""HTTP fixtures: the app on a fresh database with a small organisation, and staff tokens."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from minyi.accounts.actions import do_create_user
from minyi.accounts.actor import SYSTEM
from minyi.app import create_app
from minyi.db import session_factory
from tests.support.factories import PASSWORD, Org, make_org


@pytest.fixture
def org(sqlite_engine: Engine) -> Org:
    with session_factory(sqlite_engine)() as s:
        return make_org(s)


@pytest.fixture
def client(sqlite_engine: Engine, org: Org) -> Iterator[TestClient]:
    with TestClient(create_app(sqlite_engine)) as c:
        yield c


@pytest.fixture
def auth(client: TestClient):  # type: ignore[no-untyped-def]
    """auth("intake") -> headers with a bearer token for that user."""
    cache: dict[str, dict[str, str]] = {}

    def headers(username: str) -> dict[str, str]:
        if username not in cache:
            r = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
            assert r.status_code == 200, r.text
            cache[username] = {"Authorization": f"Bearer {r.json()['access_token']}"}
        return cache[username]

    return headers


@pytest.fixture
def inspectors(sqlite_engine: Engine, org: Org) -> None:
    """Discipline inspectors (made as at the console): two of the office, one of the housing department."""
    with session_factory(sqlite_engine)() as s:
        for name, dept in [("inspector", None), ("inspector2", None), ("housing-inspector", org.housing.id)]:
            do_create_user(s, SYSTEM, username=name, password=PASSWORD, role="inspector", department_id=dept)
