"""The suggestion API: register, list by session, one route per step, the proposer's own view, every refusal."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi.testclient import TestClient

from minyi.suggestions.commands import STAFF_COMMANDS
from tests.support.factories import Org

SESSION = "明川市政协第十五届委员会第三次会议"
NEW = {
    "kind": "cppcc_proposal", "session": SESSION, "number": 42, "proposer": {"name": "民盟明川市委", "kind": "party"},
    "subject": "关于加强老旧小区加装电梯的提案", "body": "建议简化老旧小区加装电梯审批流程，并给予财政补贴。",
}  # fmt: skip
ANSWER = "我局已会同财政局出台加装电梯补贴办法，每台补贴15万元，审批时限压缩至10个工作日，今年已完成120台。"


def _post(client: TestClient, headers: dict[str, str], sid: int, path: str, body: dict[str, Any]) -> Any:
    return client.post(f"/api/v1/staff/suggestions/{sid}/{path}", json=body, headers=headers)


def test_register_list_and_follow_through_the_api(client: TestClient, auth: Any, org: Org) -> None:
    r = client.post("/api/v1/staff/suggestions", json=NEW, headers=auth("intake"))
    assert r.status_code == 201, r.text
    item = r.json()
    code, sid = item["proposer_code"], item["id"]
    assert code and item["number_label"] == "第0042号" and item["status"] == "registered"
    for path, body in (("accept", {}), ("assign", {"lead_unit_id": org.housing.id})):
        assert _post(client, auth("intake"), sid, path, body).status_code == 200
    listed = client.get(
        "/api/v1/staff/suggestions", params={"session": SESSION}, headers=auth("intake")
    ).json()
    assert [(i["number"], i["kind"], i["status"], i["category"]) for i in listed] == [
        (42, "cppcc_proposal", "assigned", None)
    ]
    assert listed[0]["assigned_at"] and listed[0]["due_at"] and "proposer_code" in listed[0]
    assert listed[0]["proposer_code"] is None  # the code is shown once, at registration
    contact = {
        "way": "letter",
        "contacted_on": date.today().isoformat(),
        "who": "民盟市委",
        "summary": "函询意见",
    }
    assert _post(client, auth("housing-handler"), sid, "contacts", contact).status_code == 200
    r = _post(client, auth("housing-head"), sid, "answer", {"category": "A", "text": ANSWER})
    assert r.status_code == 200, r.text
    mine = client.get("/api/v1/proposer/suggestions", headers={"X-Proposer-Code": code})
    assert mine.status_code == 200 and mine.json()[0]["answers"][0]["text"] == ANSWER
    r = client.post(f"/api/v1/proposer/suggestions/{sid}/evaluation", json={"satisfaction": "satisfied"},
                    headers={"X-Proposer-Code": code})  # fmt: skip
    assert r.status_code == 200 and r.json()["status"] == "evaluated"


def test_every_step_route_hides_an_item_from_another_unit(client: TestClient, auth: Any, org: Org) -> None:
    sid = client.post("/api/v1/staff/suggestions", json=NEW, headers=auth("intake")).json()["id"]
    for command in STAFF_COMMANDS.values():
        r = _post(client, auth("transport-handler"), sid, command.path, {})
        assert r.status_code in (404, 422), (command.name, r.status_code)
        if r.status_code == 404:
            assert r.json()["error"]["code"] == "not_found"
    assert (
        client.get(f"/api/v1/staff/suggestions/{sid}", headers=auth("transport-handler")).status_code == 404
    )
    assert client.get("/api/v1/staff/suggestions/999999999", headers=auth("intake")).status_code == 404


def test_refusals_are_structured(client: TestClient, auth: Any, org: Org) -> None:
    r = client.post("/api/v1/staff/suggestions", json={**NEW, "number": 0}, headers=auth("intake"))
    assert r.status_code == 422 and r.json()["error"]["field"] == "number"
    r = client.post("/api/v1/staff/suggestions", json=NEW, headers=auth("housing-handler"))
    assert r.status_code == 403 and r.json()["error"]["message"]
    sid = client.post("/api/v1/staff/suggestions", json=NEW, headers=auth("intake")).json()["id"]
    assert client.post("/api/v1/staff/suggestions", json=NEW, headers=auth("intake")).status_code == 409
    r = _post(client, auth("intake"), sid, "answer", {"category": "A", "text": ANSWER})
    assert r.status_code == 403
    r = _post(client, auth("intake"), sid, "assign", {"lead_unit_id": org.housing.id})
    assert r.status_code == 409 and r.json()["error"]["code"] == "invalid_transition"
    r = client.get("/api/v1/proposer/suggestions", headers={"X-Proposer-Code": "ABCD-EFGH-JKMN"})
    assert r.status_code == 404
    r = client.post(f"/api/v1/proposer/suggestions/{sid}/evaluation", json={"satisfaction": "nope"},
                    headers={"X-Proposer-Code": "x"})  # fmt: skip
    assert r.status_code == 422
    assert client.get("/api/v1/staff/suggestions").status_code == 401


def test_the_list_makes_a_bounded_number_of_queries(
    client: TestClient, auth: Any, org: Org, sqlite_engine: Any
) -> None:
    from tests.web.pages_support import count_queries

    headers = auth("intake")

    def listed() -> tuple[int, int]:
        with count_queries(sqlite_engine) as statements:
            r = client.get("/api/v1/staff/suggestions", params={"session": SESSION}, headers=headers)
        return len(r.json()), len(statements)

    for n in range(1, 4):
        body = {**NEW, "number": n, "proposer": {"name": f"委员{n}", "kind": "cppcc_member"}}
        sid = client.post("/api/v1/staff/suggestions", json=body, headers=headers).json()["id"]
        _post(client, headers, sid, "accept", {})
        _post(
            client,
            headers,
            sid,
            "assign",
            {"lead_unit_id": org.housing.id, "co_unit_ids": [org.transport.id]},
        )
    few = listed()
    for n in range(4, 12):
        body = {**NEW, "number": n, "proposer": {"name": f"委员{n}", "kind": "cppcc_member"}}
        client.post("/api/v1/staff/suggestions", json=body, headers=headers)
    many = listed()
    assert (few[0], many[0]) == (3, 11) and many[1] == few[1], (few, many)
