"""The sealed channel over HTTP: the reporter's receipt, routing that bypasses the accused, sealed identity."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from minyi.accounts.actions import do_create_user
from minyi.accounts.manage import do_edit_user, do_reset_password
from minyi.accounts.models import User
from minyi.audit.models import AuditEntry
from minyi.db import session_factory
from minyi.errors import Forbidden, InvalidInput
from tests.support.factories import PASSWORD, Org
from tests.support.routes import get_paths as get_routes

MARK = "副局长李某某收受开发商贿赂二十万元"
NAME, PHONE, ID_NO, CONTACT = "赵举报", "13987654321", "11010519491231002X", "zhao.reporter@example.org"
OFFICE_PASS = "office passphrase of the discipline office"


def _office_key(client: TestClient, auth: Any) -> None:
    r = client.post(
        "/api/v1/discipline/office-key", json={"passphrase": OFFICE_PASS}, headers=auth("inspector")
    )
    assert r.status_code == 201, r.text


def _report(client: TestClient, org: Org, *, named: bool = False) -> str:
    body: dict[str, Any] = {
        "department_id": org.housing.id,
        "official": "副局长",
        "what": MARK,
        "happened": "2026年10月",
        "evidence": "转账记录截图",
        "passphrase": "my own passphrase",
    }
    if named:
        body["identity"] = {"name": NAME, "phone": PHONE, "id_number": ID_NO, "contact": CONTACT}
    r = client.post("/api/v1/reports", json=body)
    assert r.status_code == 201, r.text
    return str(r.json()["receipt"])


def _follow(client: TestClient, receipt: str, passphrase: str = "my own passphrase") -> Any:
    return client.get(f"/api/v1/reports/{receipt}", headers={"X-Report-Passphrase": passphrase})


def test_reporter_follows_with_receipt_and_passphrase_only(client: TestClient, org: Org) -> None:
    receipt = _report(client, org)
    assert len(receipt.replace("-", "")) == 20
    r = _follow(client, receipt)
    assert r.status_code == 200 and r.json()["status"] == "received"
    assert _follow(client, receipt, "wrong passphrase").status_code == 404
    assert _follow(client, "AAAA-BBBB-CCCC-DDDD-EEEE").status_code == 404
    assert client.get(f"/api/v1/reports/{receipt}").status_code == 422


def test_conversation_and_conclusion(client: TestClient, org: Org, inspectors: None, auth: Any) -> None:
    receipt = _report(client, org)
    (rep,) = client.get("/api/v1/discipline/reports", headers=auth("inspector")).json()
    h = auth("inspector")
    assert (
        client.post(
            f"/api/v1/discipline/reports/{rep['id']}/messages", json={"body": "请提供转账日期"}, headers=h
        ).status_code
        == 200
    )
    r = client.post(
        f"/api/v1/reports/{receipt}/messages",
        json={"body": "10月3日"},
        headers={"X-Report-Passphrase": "my own passphrase"},
    )
    assert r.status_code == 200 and [m["author"] for m in r.json()["messages"]] == ["inspector", "reporter"]
    assert (
        client.post(
            f"/api/v1/discipline/reports/{rep['id']}/status", json={"status": "verifying"}, headers=h
        ).status_code
        == 200
    )
    r = client.post(f"/api/v1/discipline/reports/{rep['id']}/status", json={"status": "concluded"}, headers=h)
    assert r.status_code == 422 and r.json()["error"]["field"] == "result"
    client.post(
        f"/api/v1/discipline/reports/{rep['id']}/status",
        json={"status": "concluded", "result": "已立案调查"},
        headers=h,
    )
    view = _follow(client, receipt).json()
    assert view["status"] == "concluded" and view["result"] == "已立案调查"
    r = client.post(
        f"/api/v1/reports/{receipt}/messages",
        json={"body": "还有"},
        headers={"X-Report-Passphrase": "my own passphrase"},
    )
    assert r.status_code == 409


def _get_routes(client: TestClient) -> list[str]:
    """Every GET path without a path parameter, through included routers (the public crawl's walker)."""
    paths = get_routes(client.app.routes)  # type: ignore[attr-defined]
    return [p for p in paths if "{" not in p and not p.startswith(("/static", "/docs", "/redoc"))]


def test_reported_department_and_everyone_but_inspectors_see_nothing_anywhere(
    client: TestClient, org: Org, inspectors: None, auth: Any
) -> None:
    _report(client, org)
    (rep,) = client.get("/api/v1/discipline/reports", headers=auth("inspector")).json()
    assert rep["what"] == MARK
    for user in ["housing-handler", "housing-head", "housing-inspector", "admin", "supervisor", "intake",
                 "transport-handler"]:  # fmt: skip
        h = auth(user)
        assert client.get("/api/v1/discipline/reports", headers=h).json() == []
        assert client.get(f"/api/v1/discipline/reports/{rep['id']}", headers=h).status_code == 404
        r = client.post(f"/api/v1/discipline/reports/{rep['id']}/messages", json={"body": "x"}, headers=h)
        assert r.status_code == 404
        for path in _get_routes(client):  # every queue, search, export, statistic the API offers
            body = client.get(path, headers=h, params={"q": "副局长", "queue": "all"}).content.decode(
                "utf-8", "replace"
            )
            assert MARK not in body and "副局长李某某" not in body, (user, path)


def test_database_file_and_logs_hold_no_reporter_identity_in_clear(
    client: TestClient, org: Org, inspectors: None, auth: Any, sqlite_engine: Engine,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    _office_key(client, auth)
    with caplog.at_level(logging.DEBUG):
        receipt = _report(client, org, named=True)
        _follow(client, receipt)
        (rep,) = client.get("/api/v1/discipline/reports", headers=auth("inspector")).json()
    assert rep["named"] is True and "identity" not in rep
    sqlite_engine.dispose()
    path = Path(str(sqlite_engine.url.database))
    raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    server_log = "\n".join(
        r.getMessage() for r in caplog.records if not r.name.startswith("httpx")
    )  # not the client's
    secrets = [NAME, PHONE, ID_NO, CONTACT, receipt, "my own passphrase", OFFICE_PASS]
    for clear in secrets:
        for enc in ("utf-8", "utf-16-le"):
            assert clear.encode(enc) not in raw, clear
        assert clear not in server_log, clear
    assert MARK.encode() in raw  # the grep does find what is stored in clear


def test_unsealing_needs_a_second_inspectors_approval_and_is_on_the_record(
    client: TestClient, org: Org, inspectors: None, auth: Any, sqlite_engine: Engine
) -> None:
    _office_key(client, auth)
    _report(client, org, named=True)
    (rep,) = client.get("/api/v1/discipline/reports", headers=auth("inspector")).json()
    r = client.post(
        f"/api/v1/discipline/reports/{rep['id']}/unseal-requests",
        json={"reason": "需核实举报人身份"},
        headers=auth("inspector"),
    )
    assert r.status_code == 201, r.text
    req = r.json()["id"]
    opened = f"/api/v1/discipline/unseal-requests/{req}/identity"
    decision = f"/api/v1/discipline/unseal-requests/{req}/decision"
    assert client.post(opened, json={"passphrase": OFFICE_PASS}, headers=auth("inspector")).status_code == 403
    assert (
        client.post(
            decision, json={"approve": True, "reason": "自己批准"}, headers=auth("inspector")
        ).status_code
        == 403
    )
    for outsider in ["housing-inspector", "admin"]:
        r = client.post(decision, json={"approve": True, "reason": "越权批准"}, headers=auth(outsider))
        assert r.status_code == 404
    r = client.post(decision, json={"approve": True, "reason": "同意核实"}, headers=auth("inspector2"))
    assert r.status_code == 200 and r.json()["status"] == "approved"
    assert (
        client.post(opened, json={"passphrase": OFFICE_PASS}, headers=auth("inspector2")).status_code == 403
    )
    r = client.post(opened, json={"passphrase": "not the office passphrase"}, headers=auth("inspector"))
    assert r.status_code == 422 and r.json()["error"]["field"] == "passphrase"
    r = client.post(opened, json={"passphrase": OFFICE_PASS}, headers=auth("inspector"))
    assert r.status_code == 200 and r.json()["name"] == NAME and r.json()["phone"] == PHONE
    assert client.post(opened, json={"passphrase": OFFICE_PASS}, headers=auth("inspector")).status_code == 403
    with session_factory(sqlite_engine)() as s:
        actions = s.scalars(
            select(AuditEntry.action).where(AuditEntry.object_type == "misconduct_report")
        ).all()
        data = s.scalars(select(AuditEntry.data).where(AuditEntry.action == "report.unseal_decided")).all()
    assert {"report.submitted", "report.unseal_requested", "report.unseal_decided",
            "report.identity_unsealed"} <= set(actions)  # fmt: skip
    assert data == [{"request_id": req, "approve": True, "reason": "同意核实"}]


def test_later_case_by_a_named_reporter_is_flagged_to_inspectors(
    client: TestClient, org: Org, inspectors: None, auth: Any
) -> None:
    _office_key(client, auth)
    _report(client, org, named=True)
    r = client.post("/api/v1/cases", json={"kind": "complaint", "title": "门口道路破损", "body": "门口道路破损很久了没人修",
                                           "region_code": "990102", "topic_code": "03",
                                           "contact": {"name": "赵", "phone": PHONE}})  # fmt: skip
    assert r.status_code == 201, r.text
    client.post("/api/v1/cases", json={"kind": "complaint", "title": "另一个人", "body": "另一个人的诉求内容",
                                       "region_code": "990102", "topic_code": "03",
                                       "contact": {"phone": "13900000000"}})  # fmt: skip
    (rep,) = client.get("/api/v1/discipline/reports", headers=auth("inspector")).json()
    assert len(rep["later_case_ids"]) == 1


def test_administrators_cannot_make_an_inspector_nor_take_over_one(
    sqlite_engine: Engine, org: Org, inspectors: None
) -> None:
    admin = org.actor("admin")
    with session_factory(sqlite_engine)() as s:
        with pytest.raises(InvalidInput):
            do_create_user(s, admin, username="self-made", password=PASSWORD, role="inspector")
        with pytest.raises(InvalidInput):  # promote oneself or anyone
            do_edit_user(s, admin, org.users["admin"].id, display_name="a", role="inspector", department_id=None,
                         clearance=True, active=True)  # fmt: skip
        inspector = s.scalar(select(User).where(User.username == "inspector"))
        assert inspector is not None
        with pytest.raises(
            Forbidden
        ):  # a reset password would let the administrator sign in as the inspector
            do_reset_password(s, admin, inspector.id)
        with pytest.raises(Forbidden):
            do_edit_user(s, admin, inspector.id, display_name="x", role="inspector", department_id=None,
                         clearance=False, active=True)  # fmt: skip


def test_named_report_refused_clearly_without_an_office_key(client: TestClient, org: Org) -> None:
    r = client.post("/api/v1/reports", json={"department_id": org.housing.id, "what": MARK, "passphrase": "0123456789",
                                             "identity": {"name": NAME}})  # fmt: skip
    assert r.status_code == 422 and r.json()["error"]["field"] == "identity"
    r = client.post("/api/v1/reports", json={"department_id": 999, "what": MARK, "passphrase": "0123456789"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "department_id"
