"""Administrators manage organisations on the web and the JSON API through one command table: every write on
the audit record, a one-time password shown once, 404 to anyone else and for what does not exist, 422s with a
code and a field, and a removed or reset member signed out."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from minyi.audit.models import AuditEntry
from minyi.db import session_factory
from tests.support.factories import PASSWORD, Org
from tests.web.pages_support import csrf_of, sign_in

API = "/api/v1/admin/organisations"


def _actions(engine: Engine) -> list[str]:
    with session_factory(engine)() as s:
        return list(s.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)))


def test_an_administrator_runs_an_organisation_through_the_api(
    client: TestClient, auth: Any, sqlite_engine: Engine
) -> None:
    admin = auth("admin")
    r = client.post(API, json={"name": "东湖社区居委会", "kind": "residents_committee"}, headers=admin)
    assert r.status_code == 201, r.text
    org_id = r.json()["id"]
    r = client.post(
        f"{API}/{org_id}/members", json={"username": "donghu-1", "display_name": "张主任"}, headers=admin
    )
    assert r.status_code == 200, r.text
    once = r.json()["temporary_password"]
    assert once and [m["username"] for m in r.json()["members"]] == ["donghu-1"]
    assert r.json()["members"][0]["must_change_password"] is True
    shown = client.get(f"{API}/{org_id}", headers=admin).json()
    assert shown["temporary_password"] is None and "submitted" in shown["figures"]  # shown once only
    # the member signs in with it and is sent to change it
    assert (
        client.post("/api/v1/auth/token", json={"username": "donghu-1", "password": once}).status_code == 200
    )
    user_id = shown["members"][0]["user_id"]
    r = client.post(f"{API}/{org_id}/members/password-reset", json={"user_id": user_id}, headers=admin)
    assert r.status_code == 200 and r.json()["temporary_password"] not in (None, once)
    r = client.put(f"{API}/{org_id}", json={"name": "东湖社区居委会", "kind": "residents_committee",
                                             "active": False}, headers=admin)  # fmt: skip
    assert r.status_code == 200 and r.json()["active"] is False
    r = client.post(f"{API}/{org_id}/members/removal", json={"user_id": user_id}, headers=admin)
    assert r.status_code == 200 and r.json()["members"] == []
    assert (
        client.post("/api/v1/auth/token", json={"username": "donghu-1", "password": once}).status_code >= 400
    )
    actions = _actions(sqlite_engine)
    for action in ("organisation.add", "organisation.member", "user.reset_password", "organisation.edit",
                   "organisation.member_removed"):  # fmt: skip
        assert action in actions
    assert [o["active"] for o in client.get(API, headers=admin).json()] == [False]


def test_anyone_but_an_administrator_finds_nothing_and_bad_input_is_a_structured_422(
    client: TestClient, auth: Any, org: Org, sqlite_engine: Engine
) -> None:
    admin = auth("admin")
    org_id = client.post(API, json={"name": "市总工会", "kind": "union"}, headers=admin).json()["id"]
    before = _actions(sqlite_engine)
    supervisor = auth("supervisor")
    for method, url, body in [("GET", API, None), ("POST", API, {"name": "x", "kind": "union"}),
                              ("GET", f"{API}/{org_id}", None),
                              ("PUT", f"{API}/{org_id}", {"name": "x", "kind": "union"}),
                              ("POST", f"{API}/{org_id}/members", {"username": "someone"}),
                              ("POST", f"{API}/{org_id}/members/password-reset", {"user_id": 1})]:  # fmt: skip
        assert client.request(method, url, json=body, headers=supervisor).status_code == 404, (method, url)
    assert client.get(f"{API}/{org_id + 9}", headers=admin).status_code == 404
    staff_id = org.users["housing-handler"].id  # not a member of this organisation: missing, never reset
    r = client.post(f"{API}/{org_id}/members/password-reset", json={"user_id": staff_id}, headers=admin)
    assert r.status_code == 404
    r = client.put(f"{API}/{org_id}", json={"name": "市总工会", "kind": "guild"}, headers=admin)
    assert (
        r.status_code == 422
        and r.json()["error"]["code"] == "invalid"
        and r.json()["error"]["field"] == "kind"
    )
    r = client.post(f"{API}/{org_id}/members", json={"username": "a b"}, headers=admin)
    assert r.status_code == 422 and r.json()["error"]["field"] == "username"
    client.post(API, json={"name": "市妇联", "kind": "womens_federation"}, headers=admin)
    r = client.put(f"{API}/{org_id}", json={"name": "市妇联", "kind": "union"}, headers=admin)
    assert r.status_code == 409 and r.json()["error"]["field"] == "name"
    for method, url in [("POST", API), ("PUT", f"{API}/{org_id}")]:  # found by Schemathesis: was a 500
        r = client.request(method, url, json={"name": "市残联", "kind": "union", "region_code": "73155554"},
                           headers=admin)  # fmt: skip
        assert r.status_code == 422 and r.json()["error"]["field"] == "region_code", (method, r.text)
    assert [a for a in _actions(sqlite_engine)[len(before) :] if a != "user.sign_in"] == ["organisation.add"]


def test_the_admin_pages_register_an_organisation_and_show_a_members_password_once(
    client: TestClient, sqlite_engine: Engine
) -> None:
    assert sign_in(client, "admin", PASSWORD).status_code == 303
    page = client.get("/staff/admin/organisations")
    assert page.status_code == 200
    r = client.post("/staff/admin/organisations", data={"csrf_token": csrf_of(page.text), "name": "市残联",
                                                        "kind": "disabled_federation"}, follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    one = client.get(r.headers["location"])
    assert one.status_code == 200 and 'id="figures"' in one.text
    url = r.headers["location"].split("?")[0]
    r = client.post(f"{url}/add_member", data={"csrf_token": csrf_of(one.text), "username": "canlian-1"})
    assert (
        r.status_code == 200
        and 'id="one-time-password"' in r.text
        and r.headers["Cache-Control"] == "no-store"
    )
    assert "canlian-1" in r.text and 'id="one-time-password"' not in client.get(url).text
    r = client.post(f"{url}/add_member", data={"csrf_token": csrf_of(one.text), "username": "x"})
    assert r.status_code == 422 and 'role="alert"' in r.text
    r = client.post(f"{url}/no_such_step", data={"csrf_token": csrf_of(one.text)})
    assert r.status_code == 404
    match = re.search(r'id="member-(\d+)"', client.get(url).text)
    assert match
    r = client.post(f"{url}/remove_member", data={"csrf_token": csrf_of(one.text), "user_id": match.group(1)},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303 and "organisation.member_removed" in _actions(sqlite_engine)


def test_other_staff_find_no_admin_page(client: TestClient) -> None:
    assert sign_in(client, "supervisor", PASSWORD).status_code == 303
    assert client.get("/staff/admin/organisations").status_code == 404
    assert client.get("/staff/admin/organisations/1").status_code == 404
