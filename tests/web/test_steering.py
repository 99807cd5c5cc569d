"""Ordinary intake steers misconduct reports (举报) to the sealed channel: no case, no department sees it."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from minyi.cases.models import Case
from minyi.db import session_factory
from minyi.nlp.misconduct import looks_like_misconduct
from tests.support.factories import Org
from tests.web.pages_support import csrf_of
from tests.web.test_reports import _office_key

DEMAND = {"kind": "report", "title": "举报住建局某科长", "body": "某科长办理审批时刁难群众，拖了两个月不办。",
          "topic_code": "01", "region_code": "990102"}  # fmt: skip


def _cases(engine: Engine) -> int:
    with session_factory(engine)() as s:
        return int(s.scalar(select(func.count()).select_from(Case)) or 0)


@pytest.mark.parametrize(
    ("text", "steered"),
    [("某局长收受开发商贿赂二十万", True), ("窗口工作人员吃拿卡要", True), ("办证时科长收受了我送的购物卡", True),
     ("村干部挪用公款修自家房子", True), ("物业违规收费，要求退还", False), ("窗口工作人员态度恶劣", False),
     ("举报小区噪音扰民", False)],
)  # fmt: skip
def test_the_text_rule_names_abuse_of_office_for_gain_only(text: str, steered: bool) -> None:
    assert looks_like_misconduct(text) is steered


def test_a_report_through_the_api_becomes_a_sealed_report_not_a_case(
    client: TestClient, auth: Any, org: Org, inspectors: None, sqlite_engine: Engine
) -> None:
    r = client.post("/api/v1/cases", json=DEMAND)
    assert r.status_code == 202, r.text
    out = r.json()
    assert out["steered_to"] == "report" and "纪检监察" in out["message"] and "tracking_code" not in out
    assert _cases(sqlite_engine) == 0
    follow = client.get(
        f"/api/v1/reports/{out['receipt']}", headers={"X-Report-Passphrase": out["passphrase"]}
    )
    assert follow.status_code == 200 and follow.json()["status"] == "received"
    (report,) = client.get("/api/v1/discipline/reports", headers=auth("inspector")).json()
    assert report["department_id"] == org.housing.id and "刁难群众" in report["what"]
    assert (
        client.get("/api/v1/discipline/reports", headers=auth("housing-inspector")).json() == []
    )  # the accused unit
    for who in ("housing-handler", "housing-head", "intake", "admin"):
        queue = client.get("/api/v1/staff/queue", params={"queue": "all"}, headers=auth(who)).json()
        assert queue["total"] == 0, who


def test_a_complaint_naming_a_bribe_is_steered_and_an_ordinary_one_is_not(
    client: TestClient, org: Org, sqlite_engine: Engine
) -> None:
    bribe = {**DEMAND, "kind": "complaint", "body": "办理不动产登记时，窗口科长索要好处费两千元才肯办。"}
    assert client.post("/api/v1/cases", json=bribe).status_code == 202
    fee = {**DEMAND, "kind": "complaint", "body": "物业违规收取停车费，要求退还多收的费用。"}
    assert client.post("/api/v1/cases", json=fee).status_code == 201
    assert _cases(sqlite_engine) == 1


def test_contact_details_are_sealed_as_the_identity_or_not_kept_and_the_answer_says_which(
    client: TestClient, auth: Any, org: Org, inspectors: None
) -> None:
    named = {**DEMAND, "contact": {"name": "钱某", "phone": "13800001111"}}
    first = client.post("/api/v1/cases", json=named).json()
    assert first["named"] is False and "联系方式没有保存" in first["message"]
    _office_key(client, auth)
    second = client.post("/api/v1/cases", json=named).json()
    assert second["named"] is True and "联系方式没有保存" not in second["message"]
    reports = client.get("/api/v1/discipline/reports", headers=auth("inspector")).json()
    assert [r["named"] for r in reports] == [True, False] and "13800001111" not in str(reports)


def test_an_operator_registering_a_report_gets_the_receipt_for_the_caller(
    client: TestClient, auth: Any, org: Org, sqlite_engine: Engine
) -> None:
    r = client.post("/api/v1/staff/cases", json={**DEMAND, "channel": "hotline"}, headers=auth("intake"))
    assert r.status_code == 202 and r.json()["receipt"]
    assert _cases(sqlite_engine) == 0


def test_the_portal_tells_the_citizen_about_the_sealed_channel(
    client: TestClient, org: Org, sqlite_engine: Engine
) -> None:
    page = client.get("/submit").text
    data = {"csrf_token": csrf_of(page), "consent": "1", "visibility": "public", "contact_phone": "13800001111",
            **DEMAND}  # fmt: skip
    r = client.post("/submit", data=data, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/report/done"
    done = client.get("/report/done").text
    assert 'id="steered"' in done and 'id="receipt"' in done and 'id="passphrase"' in done
    assert 'id="contact-dropped"' in done  # no office key yet: the phone number was not kept, and it says so
    assert _cases(sqlite_engine) == 0


def test_a_report_too_short_to_say_what_happened_is_refused_and_nothing_is_written(
    client: TestClient, auth: Any, org: Org, inspectors: None, sqlite_engine: Engine
) -> None:
    """Found by Schemathesis: a staff-registered demand of kind 举报 with a few characters was a 500."""
    short = {**DEMAND, "title": "举报", "body": "某"}
    for url, headers in (("/api/v1/cases", {}), ("/api/v1/staff/cases", auth("intake"))):
        r = client.post(url, json={**short, "channel": "hotline"} if headers else short, headers=headers)
        assert r.status_code == 422, r.text
        assert r.json()["error"]["field"] == "body"
    assert _cases(sqlite_engine) == 0
    assert client.get("/api/v1/discipline/reports", headers=auth("inspector")).json() == []
