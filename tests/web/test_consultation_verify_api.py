"""Verified joins over HTTP: the same answer for an unknown and an ineligible code, limits per address, accounts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from minyi.app import create_app
from minyi.cases.tracking import new_code
from minyi.consultation.rules import CODE_ATTEMPTS
from minyi.db import session_factory, utcnow
from tests.support.consultations import DRAFT, word_file
from tests.support.factories import submit


def _residents_only(client: TestClient, auth: Any) -> int:
    body = {"title": "东区公共收益使用议事", "kind": "community", "department_id": 1, "region_code": "990102",
            "requirement": "resident", "opens_at": (utcnow() - timedelta(hours=1)).isoformat(),
            "closes_at": (utcnow() + timedelta(days=10)).isoformat(), "draft": DRAFT}  # fmt: skip
    r = client.post("/api/v1/staff/consultations", json=body, headers=auth("housing-head"))
    assert r.status_code == 201, r.text
    cid = int(r.json()["id"])
    assert client.post(
        f"/api/v1/staff/consultations/{cid}/open", json={}, headers=auth("housing-head")
    ).is_success
    return cid


def _codes(engine: Engine) -> tuple[str, str]:
    with session_factory(engine)() as s:
        return submit(s, region_code="990102").tracking_code, submit(s, region_code="990103").tracking_code


def test_unknown_and_ineligible_codes_get_identical_answers_and_a_resident_joins(
    client: TestClient, auth: Any, sqlite_engine: Engine
) -> None:
    cid = _residents_only(client, auth)
    east, west = _codes(sqlite_engine)
    url = f"/api/v1/consultations/{cid}/participants"
    unknown = client.post(url, json={"tracking_code": new_code()})
    outside = client.post(url, json={"tracking_code": west})
    assert unknown.status_code == outside.status_code == 403
    assert unknown.json()["error"] == outside.json()["error"]
    assert unknown.json()["error"]["code"] == "not_eligible"
    joined = client.post(url, json={"tracking_code": east})
    assert joined.status_code == 201 and joined.json()["verified"] is True
    assert client.post(url, json={}).json()["error"]["code"] == "verification_required"


def test_tracking_code_guesses_from_one_address_are_limited(
    client: TestClient, auth: Any, sqlite_engine: Engine
) -> None:
    cid = _residents_only(client, auth)
    east, _ = _codes(sqlite_engine)
    url = f"/api/v1/consultations/{cid}/participants"
    for _ in range(CODE_ATTEMPTS):
        assert client.post(url, json={"tracking_code": new_code()}).status_code == 403
    limited = client.post(url, json={"tracking_code": east})
    assert limited.status_code == 429 and limited.json()["error"]["field"] == "tracking_code"


def test_two_app_instances_on_one_database_share_the_limits(
    client: TestClient, auth: Any, sqlite_engine: Engine
) -> None:
    """Two processes of the app (two instances here): guesses spread over both count against one limit."""
    cid = _residents_only(client, auth)
    east, west = _codes(sqlite_engine)
    url = f"/api/v1/consultations/{cid}/participants"
    with TestClient(create_app(sqlite_engine)) as other:
        for n in range(CODE_ATTEMPTS):
            r = (client, other)[n % 2].post(url, json={"tracking_code": new_code() if n % 3 else west})
            assert (
                r.status_code == 403 and r.json()["error"]["code"] == "not_eligible"
            )  # unknown or ineligible
        for instance in (client, other):
            limited = instance.post(url, json={"tracking_code": east})
            assert limited.status_code == 429 and limited.json()["error"]["field"] == "tracking_code"
        hearing = f"/api/v1/consultations/{cid}/hearing/registrations"
        for n in range(CODE_ATTEMPTS):  # refused for want of a hearing, but each counts
            assert (client, other)[n % 2].post(hearing, json=_registrant(n)).status_code == 409
        assert other.post(hearing, json=_registrant(99)).status_code == 429


def _registrant(n: int) -> dict[str, str]:
    return {"name": f"居民{n}", "phone": f"1391234{n:04d}", "position": "neutral", "note": ""}


def test_an_account_verifies_a_participant_with_its_bearer_token(client: TestClient, auth: Any) -> None:
    r = client.post("/api/v1/staff/consultations", headers=auth("housing-head"), json={
        "title": "电梯办法", "department_id": 1, "requirement": "account", "draft": DRAFT,
        "opens_at": (utcnow() - timedelta(hours=1)).isoformat(), "closes_at": (utcnow() + timedelta(days=40)).isoformat()})  # fmt: skip
    cid = r.json()["id"]
    client.post(f"/api/v1/staff/consultations/{cid}/open", json={}, headers=auth("housing-head"))
    url = f"/api/v1/consultations/{cid}/participants"
    assert client.post(url, json={"with_account": True}).status_code == 401
    joined = client.post(url, json={"with_account": True}, headers=auth("transport-handler"))
    assert joined.status_code == 201 and joined.json()["verified"] is True


def test_a_word_draft_is_read_into_clauses_then_created_like_a_typed_one(
    client: TestClient, auth: Any
) -> None:
    url = "/api/v1/staff/consultations/draft-from-docx"
    assert client.post(url, content=word_file()).status_code == 401
    mime = {"Content-Type": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
    r = client.post(url, content=word_file(), headers={**auth("housing-head"), **mime})
    assert r.status_code == 200, r.text
    assert [c["number"] for c in r.json()["clauses"]] == [1, 2, 3, 4]
    bad = client.post(url, content=b"not a word file", headers={**auth("housing-head"), **mime})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "draft_file"
    created = client.post("/api/v1/staff/consultations", headers=auth("housing-head"), json={
        "title": "电梯办法", "department_id": 1, "draft": r.json()["draft"],
        "opens_at": utcnow().isoformat(), "closes_at": (utcnow() + timedelta(days=40)).isoformat()})  # fmt: skip
    assert created.status_code == 201 and len(created.json()["clauses"]) == 4
