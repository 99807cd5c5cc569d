"""Sign-in under attack: no timing oracle for usernames, limits per address, and a lock-out that a stranger
cannot turn against the account's owner (API and workbench page share one throttle)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from minyi.accounts import actions
from minyi.app import create_app
from minyi.ratelimit.signin import SharedSignInThrottle
from tests.support.factories import PASSWORD

STRANGER, OWNER = "198.51.100.7", "192.0.2.1"


@pytest.fixture
def app(sqlite_engine: Engine, org: Any) -> FastAPI:
    return create_app(sqlite_engine)


@pytest.fixture
def at(app: FastAPI) -> Iterator[Any]:
    """at(address) -> a client whose requests come from that address."""
    clients: dict[str, TestClient] = {}

    def client(address: str) -> TestClient:
        if address not in clients:
            clients[address] = TestClient(app, client=(address, 40000)).__enter__()
        return clients[address]

    yield client
    for c in clients.values():
        c.__exit__(None, None, None)


def _token(client: TestClient, username: str, password: str) -> Any:
    return client.post("/api/v1/auth/token", json={"username": username, "password": password})


def test_a_stranger_locks_only_their_own_address_out(at: Any) -> None:
    for _ in range(5):
        assert _token(at(STRANGER), "admin", "guess").status_code == 401
    refused = _token(at(STRANGER), "admin", PASSWORD)
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "locked_out"
    assert 0 < int(refused.headers["retry-after"]) <= 1.2 * 15 * 60  # the two-window estimate: at most 1.2×
    assert _token(at(OWNER), "admin", PASSWORD).status_code == 200


def test_an_address_that_fails_too_often_waits_whatever_the_account(at: Any) -> None:
    for i in range(20):
        assert _token(at(STRANGER), f"nobody-{i}", "guess").status_code == 401
    refused = _token(at(STRANGER), "intake", PASSWORD)
    assert refused.status_code == 429 and "retry-after" in refused.headers
    assert _token(at(OWNER), "intake", PASSWORD).status_code == 200


def test_the_sign_in_page_shares_the_limits(at: Any) -> None:
    from tests.web.pages_support import csrf_of

    browser = at(STRANGER)
    token = csrf_of(browser.get("/staff/login").text)
    form = {"username": "admin", "password": "guess", "csrf_token": token, "next": "/staff"}
    for _ in range(5):
        assert browser.post("/staff/login", data=form, follow_redirects=False).status_code == 401
    page = browser.post("/staff/login", data={**form, "password": PASSWORD}, follow_redirects=False)
    assert page.status_code == 429 and "retry-after" in page.headers
    assert _token(at(STRANGER), "admin", PASSWORD).status_code == 429
    assert _token(at(OWNER), "admin", PASSWORD).status_code == 200


def test_unknown_users_cost_a_password_verification_too(at: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    checked: list[str] = []
    real = actions.verify_password

    def spy(stored_hash: str, password: str) -> bool:
        checked.append(stored_hash)
        return real(stored_hash, password)

    monkeypatch.setattr(actions, "verify_password", spy)
    assert _token(at(OWNER), "no-such-user", "guess").status_code == 401
    assert _token(at(OWNER), "admin", "guess").status_code == 401
    assert len(checked) == 2 and all(h.startswith("$argon2id$") for h in checked)


def test_failures_are_forgotten_after_the_window(session: Session) -> None:
    now = [1020.0]  # the start of a window
    throttle = SharedSignInThrottle(per_account_address=2, per_address=5, window_s=60, clock=lambda: now[0])
    throttle.failed(session, "admin", STRANGER)
    throttle.failed(session, "Admin", STRANGER)
    # the sliding window is estimated from two fixed ones: this window whole, then the next until it weighs half
    assert throttle.retry_after(session, "admin", STRANGER) == 90
    assert throttle.retry_after(session, "admin", OWNER) == 0
    now[0] += 60
    assert throttle.retry_after(session, "admin", STRANGER) == 30
    now[0] += 30
    assert throttle.retry_after(session, "admin", STRANGER) == 0
    throttle.failed(session, "admin", STRANGER)
    throttle.succeeded(session, "admin", STRANGER)
    assert throttle.retry_after(session, "admin", STRANGER) == 0
