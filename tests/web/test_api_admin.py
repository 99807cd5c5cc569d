"""The JSON API of administration: edit and disable staff and departments, reset and change passwords."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.support.factories import PASSWORD, Org


def _token(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    r = client.post("/api/v1/auth/token", json={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_a_disabled_member_of_staff_loses_their_token_and_cannot_sign_in(
    client: TestClient, auth: Any, org: Org
) -> None:
    handler = org.users["housing-handler"]
    theirs = _token(client, "housing-handler")
    assert client.get("/api/v1/auth/me", headers=theirs).status_code == 200
    edit = {"display_name": "住建办事员", "role": "handler", "department_id": org.housing.id, "active": False}
    assert client.put(f"/api/v1/users/{handler.id}", json=edit, headers=theirs).status_code == 403
    assert client.put(f"/api/v1/users/{handler.id}", json=edit, headers=auth("admin")).status_code == 200
    assert client.get("/api/v1/auth/me", headers=theirs).status_code == 401
    r = client.post("/api/v1/auth/token", json={"username": "housing-handler", "password": PASSWORD})
    assert r.status_code == 401


def test_a_temporary_password_opens_nothing_until_it_is_changed(
    client: TestClient, auth: Any, org: Org
) -> None:
    handler = org.users["housing-handler"]
    r = client.post(f"/api/v1/users/{handler.id}/password-reset", headers=auth("admin"))
    temporary = r.json()["temporary_password"]
    refused = client.get("/api/v1/auth/me", headers=_token(client, "housing-handler", temporary))
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "password_change_required"
    change = {"username": "housing-handler", "current_password": temporary, "new_password": "short"}
    bad = client.post("/api/v1/auth/password", json=change)
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "password"
    ok = client.post("/api/v1/auth/password", json={**change, "new_password": "a-longer-secret"})
    assert ok.status_code == 204
    assert (
        client.get(
            "/api/v1/auth/me", headers=_token(client, "housing-handler", "a-longer-secret")
        ).status_code
        == 200
    )


def test_departments_and_routing_rules_are_edited_and_removed(
    client: TestClient, auth: Any, org: Org
) -> None:
    admin = auth("admin")
    r = client.put(f"/api/v1/departments/{org.transport.id}", json={"name": "交通运输局", "active": False},
                   headers=admin)  # fmt: skip
    assert r.status_code == 200 and r.json()["name"] == "交通运输局"
    assert org.transport.id not in [d["id"] for d in client.get("/api/v1/departments").json()]
    rule = client.post("/api/v1/routing-rules", json={"department_id": org.housing.id, "topic_prefix": "04"},
                       headers=admin).json()["id"]  # fmt: skip
    moved = {"department_id": org.district.id, "topic_prefix": "04.02", "priority": 3}
    assert client.put(f"/api/v1/routing-rules/{rule}", json=moved, headers=admin).status_code == 200
    assert client.delete(f"/api/v1/routing-rules/{rule}", headers=admin).status_code == 204
    assert client.delete(f"/api/v1/routing-rules/{rule}", headers=admin).status_code == 404
