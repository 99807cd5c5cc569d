"""The accountability register over HTTP: a supervisor opens and decides in the workbench, the unit's head
responds, the public page shows only decisions made public, bad input is a structured refusal."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.support.factories import Org
from tests.web.test_report_staff_pages import _post, _sign_in

SUMMARY = "三件答复称已修复，回访均未修复"


def test_open_respond_decide_and_publish_in_the_workbench(client: TestClient, org: Org, auth: Any) -> None:
    _sign_in(client, "supervisor")
    page = "/staff/accountability"
    r = _post(client, page, page, {"unit_id": "1", "post": "审批科科长", "person": "王某某", "ground": "false_reply",
                                   "form": "admonishment", "summary": SUMMARY, "case_ids": "424242"})  # fmt: skip
    assert r.status_code == 303 and "error=" in r.headers["location"]  # evidence that does not exist
    r = _post(client, page, page, {"unit_id": "1", "post": "审批科科长", "person": "王某某", "ground": "false_reply",
                                   "form": "admonishment", "summary": SUMMARY})  # fmt: skip
    record = r.headers["location"]
    assert r.status_code == 303 and record == "/staff/accountability/1"
    _sign_in(client, "transport-handler")
    assert client.get(record).status_code == 404 and SUMMARY not in client.get(page).text
    _sign_in(client, "housing-head")
    assert "审批科科长" in client.get(page).text and SUMMARY in client.get(record).text
    assert (
        _post(client, record, f"{record}/response", {"response": "回访时间过早，已补修"}).status_code == 303
    )
    assert SUMMARY not in client.get("/accountability").text  # not decided yet
    _sign_in(client, "supervisor")
    r = _post(
        client,
        record,
        f"{record}/decision",
        {"decision": "诫勉谈话", "form": "admonishment", "public": "yes"},
    )
    assert r.status_code == 303 and "error" not in r.headers["location"]
    public = client.get("/accountability").text
    assert SUMMARY in public and "王某某" in public and "回访时间过早" in public
    api = client.get("/api/v1/accountability").json()
    assert api[0]["person"] == "王某某" and api[0]["form_label"]


def test_the_api_refuses_bad_input_and_strangers(client: TestClient, org: Org, auth: Any) -> None:
    body = {"unit_id": 1, "ground": "late_cases", "form": "public_criticism", "summary": SUMMARY}
    r = client.post(
        "/api/v1/staff/accountability", json={**body, "ground": "bad"}, headers=auth("supervisor")
    )
    assert r.status_code == 422 and r.json()["error"]["code"]
    assert (
        client.post("/api/v1/staff/accountability", json=body, headers=auth("housing-head")).status_code
        == 403
    )
    r = client.post("/api/v1/staff/accountability", json=body, headers=auth("supervisor"))
    assert r.status_code == 201 and r.json()["status"] == "open"
    rid = r.json()["id"]
    assert (
        client.get(f"/api/v1/staff/accountability/{rid}", headers=auth("transport-handler")).status_code
        == 404
    )
    r = client.post(
        f"/api/v1/staff/accountability/{rid}/response",
        json={"response": "申辩"},
        headers=auth("transport-handler"),
    )
    assert r.status_code == 404
    r = client.post(f"/api/v1/staff/accountability/{rid}/decision", json={"decision": "不予问责", "form": "public_criticism"},
                    headers={**auth("supervisor"), "If-Match": "99"})  # fmt: skip
    assert r.status_code == 409


def test_the_risk_list_is_on_the_supervisors_board_and_api(client: TestClient, org: Org, auth: Any) -> None:
    assert client.get("/api/v1/staff/accountability/risks", headers=auth("supervisor")).json() == []
    assert client.get("/api/v1/staff/accountability/risks", headers=auth("housing-head")).status_code == 403
    _sign_in(client, "supervisor")
    assert 'id="risk-list"' in client.get("/staff/board").text
    _sign_in(client, "intake")
    assert 'id="risk-list"' not in client.get("/staff/board").text
