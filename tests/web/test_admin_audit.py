"""Every write route of the API that is not about one case leaves an entry on the audit chain (the case routes
append case events, walked by the authorization matrix). The walk is generated from the app's routes: a new
write route without an example here fails the test until it is added."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from minyi.audit.log import verify_entries
from minyi.audit.models import AuditEntry
from minyi.db import session_factory
from tests.support.factories import PASSWORD, Org
from tests.support.routes import walk

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
# Write routes whose record each slice's own tests check (the unit of work refuses any write without one):
SLICE_ROUTES = (
    "/api/v1/cases", "/api/v1/staff/cases",  # case events, walked by the authorization matrix
    "/api/v1/consultations", "/api/v1/staff/consultations",  # tests/integration/test_consultation*.py
    "/api/v1/staff/suggestions", "/api/v1/proposer",  # the suggestions' own event chain
    "/api/v1/reports", "/api/v1/discipline",  # sealed reports: tests/web/test_reports.py
    "/api/v1/inspections", "/api/v1/staff/inspections",  # tests/integration/test_inspection.py
    "/api/v1/staff/accountability",  # tests/integration/test_accountability.py
    "/api/v1/staff/expert-opinions", "/api/v1/expert/",  # tests/integration/test_expert_opinions.py
)  # fmt: skip
# single routes whose record their slice's tests check
SLICE_ONLY = {("POST", "/api/v1/evaluations/{period_id}/ratings")}  # tests/integration/test_evaluation.py


def _examples(org: Org) -> dict[tuple[str, str], tuple[str, str, dict[str, Any], str]]:
    """(method, route path) -> (user, concrete url, body, the audit action expected)."""
    policy = {
        "name": "测试规则",
        "accept_days": 3,
        "sign_days": 1,
        "handle_days": 10,
        "rehandle_days": 5,
        "evaluation_days": 5,
        "extension_max_days": 5,
        "remind_before_days": 1,
        "accountability_after_days": 2,
    }
    handler = org.users["housing-handler"].id
    member = max(u.id for u in org.users.values()) + 1  # the account the example below adds
    orgs = "/api/v1/admin/organisations"
    return {
        ("POST", "/api/v1/auth/token"): ("-", "/api/v1/auth/token",
                                         {"username": "intake", "password": PASSWORD}, "user.sign_in"),
        ("POST", "/api/v1/departments"): ("admin", "/api/v1/departments", {"code": "env", "name": "环保局"},
                                          "department.add"),
        ("PUT", "/api/v1/departments/{department_id}"): (
            "admin", f"/api/v1/departments/{org.district.id}", {"name": "东区人民政府"}, "department.edit"),
        ("POST", "/api/v1/routing-rules"): ("admin", "/api/v1/routing-rules",
                                            {"topic_prefix": "05", "department_id": org.transport.id},
                                            "routing_rule.add"),
        ("PUT", "/api/v1/routing-rules/{rule_id}"): ("admin", "/api/v1/routing-rules/1",
                                                     {"topic_prefix": "01", "department_id": org.district.id},
                                                     "routing_rule.edit"),
        ("DELETE", "/api/v1/routing-rules/{rule_id}"): ("admin", "/api/v1/routing-rules/2", {},
                                                        "routing_rule.remove"),
        ("PUT", "/api/v1/policies"): ("admin", "/api/v1/policies", policy, "policy.add"),
        ("PUT", "/api/v1/calendar/{day}"): ("admin", "/api/v1/calendar/2026-12-28", {"kind": "holiday"},
                                            "calendar.set_day"),
        ("POST", "/api/v1/calendar/schedule"): ("admin", "/api/v1/calendar/schedule",
                                                {"holidays": ["2027-01-01"], "workdays": []},
                                                "calendar.load_schedule"),
        ("PUT", "/api/v1/users/{user_id}"): ("admin", f"/api/v1/users/{handler}",
                                             {"display_name": "住建局 承办人", "role": "handler",
                                              "department_id": org.housing.id, "clearance": False, "active": True},
                                             "user.edit"),
        ("POST", "/api/v1/users/{user_id}/password-reset"): ("admin", f"/api/v1/users/{handler}/password-reset",
                                                             {}, "user.reset_password"),
        ("POST", "/api/v1/evaluations"): ("supervisor", "/api/v1/evaluations", {"title": "2026年度民主评议"},
                                          "evaluation.opened"),
        ("POST", "/api/v1/evaluations/{period_id}/close"): ("supervisor", "/api/v1/evaluations/1/close", {},
                                                            "evaluation.closed"),
        ("POST", "/api/v1/open311/clients"): ("admin", "/api/v1/open311/clients",
                                              {"name": "城市看板", "contact": "dev@example.org"},
                                              "open311_client.register"),
        ("POST", "/api/v1/auth/password"): ("-", "/api/v1/auth/password",
                                            {"username": "supervisor", "current_password": PASSWORD,
                                             "new_password": "a-new-pass-2026"}, "user.change_password"),
        ("POST", orgs): ("admin", orgs, {"name": "市总工会", "kind": "union"}, "organisation.add"),
        ("PUT", orgs + "/{organisation_id}"): ("admin", f"{orgs}/1", {"name": "市总工会", "kind": "union",
                                                                      "active": False}, "organisation.edit"),
        ("POST", orgs + "/{organisation_id}/members"): ("admin", f"{orgs}/1/members", {"username": "union-1"},
                                                        "organisation.member"),
        ("POST", orgs + "/{organisation_id}/members/password-reset"): (
            "admin", f"{orgs}/1/members/password-reset", {"user_id": member}, "user.reset_password"),
        ("POST", orgs + "/{organisation_id}/members/removal"): ("admin", f"{orgs}/1/members/removal",
                                                                {"user_id": member}, "organisation.member_removed"),
    }  # fmt: skip


def _entries(engine: Engine) -> list[AuditEntry]:
    with session_factory(engine)() as s:
        return list(s.scalars(select(AuditEntry).order_by(AuditEntry.seq)))


def test_every_administrative_write_route_leaves_an_audit_entry(
    client: TestClient, auth: Any, org: Org, sqlite_engine: Engine
) -> None:
    routes = {
        (method, path)
        for methods, path, _ in walk(client.app.routes)  # type: ignore[attr-defined]
        if path.startswith("/api/") and not path.startswith(SLICE_ROUTES)
        for method in methods & WRITES
    } - SLICE_ONLY  # fmt: skip
    assert len(routes) >= len(_examples(org)) - 1, "the route walk found too few routes"
    examples = _examples(org)
    missing = routes - set(examples)
    assert not missing, f"write routes with no example in this test: {sorted(missing)}"
    headers = {name: auth(name) for name in ("admin", "intake", "supervisor")}
    for key in sorted(examples, key=lambda k: k != ("POST", "/api/v1/auth/token")):
        user, url, body, action = examples[key]
        before = len(_entries(sqlite_engine))
        r = client.request(key[0], url, json=body or None, headers=headers.get(user, {}))
        assert r.status_code < 300, (key, r.status_code, r.text)
        after = _entries(sqlite_engine)
        assert len(after) > before, f"{key} left no audit entry"
        assert after[-1].action == action, (key, after[-1].action)
        assert after[-1].actor_role != "system", key  # the real actor is named
    with session_factory(sqlite_engine)() as s:
        assert list(verify_entries(s)) == []  # and the chain holds


def test_a_refused_administrative_write_leaves_nothing(
    client: TestClient, auth: Any, org: Org, sqlite_engine: Engine
) -> None:
    with session_factory(sqlite_engine)() as s:
        before = s.scalar(select(func.count()).select_from(AuditEntry))
    r = client.post("/api/v1/departments", json={"code": "x", "name": "x"}, headers=auth("intake"))
    assert r.status_code == 403
    r = client.put("/api/v1/policies", json={"name": "坏", "accept_days": False}, headers=auth("admin"))
    assert r.status_code == 422
    with session_factory(sqlite_engine)() as s:
        after = s.scalar(select(func.count()).select_from(AuditEntry))
    assert after == before + 2  # only the two sign-ins that issued the tokens
