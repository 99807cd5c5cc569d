"""The consultation API over HTTP: taking part, forged ids, organisers only, the whole flow to the report."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from minyi.db import utcnow
from tests.support.consultations import DRAFT


def _create(client: TestClient, auth: Any, user: str = "housing-head", **overrides: Any) -> Any:
    body = {"title": "加装电梯管理办法", "department_id": 1, "opens_at": (utcnow() - timedelta(hours=1)).isoformat(),
            "closes_at": (utcnow() + timedelta(days=10)).isoformat(), "draft": DRAFT, **overrides}  # fmt: skip
    return client.post("/api/v1/staff/consultations", json=body, headers=auth(user))


def _opened(client: TestClient, auth: Any) -> int:
    r = _create(client, auth)
    assert r.status_code == 201, r.text
    cid = r.json()["id"]
    r = client.post(f"/api/v1/staff/consultations/{cid}/open", json={}, headers=auth("housing-head"))
    assert r.status_code == 200 and r.json()["state"] == "open"
    assert r.json()["warnings"]  # ten days for a major decision: the 30-day warning
    return int(cid)


def _join(client: TestClient, cid: int) -> dict[str, str]:
    r = client.post(f"/api/v1/consultations/{cid}/participants", json={})
    assert r.status_code == 201, r.text
    client.cookies.clear()
    return {"X-Participant": r.json()["participant"]}


def test_a_draft_is_hidden_from_the_public_and_from_other_departments(client: TestClient, auth: Any) -> None:
    cid = _create(client, auth).json()["id"]
    assert client.get(f"/api/v1/consultations/{cid}").status_code == 404
    r = client.post(f"/api/v1/staff/consultations/{cid}/open", json={}, headers=auth("transport-handler"))
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    assert _create(client, auth, user="transport-handler").status_code == 404


def test_forged_or_foreign_participant_ids_are_refused(client: TestClient, auth: Any) -> None:
    cid, other = _opened(client, auth), _opened(client, auth)
    mine = _join(client, cid)
    s = client.post(
        f"/api/v1/consultations/{cid}/statements", json={"text": "补贴应提高"}, headers=mine
    ).json()
    for headers in [{}, {"X-Participant": mine["X-Participant"][:-2] + "xx"}, _join(client, other)]:
        r = client.post(
            f"/api/v1/consultations/{cid}/votes", json={"statement_id": s["id"], "vote": 1}, headers=headers
        )
        assert r.status_code == 403 and r.json()["error"]["code"] == "invalid_participant"


def test_bad_votes_and_long_statements_get_structured_errors(client: TestClient, auth: Any) -> None:
    cid = _opened(client, auth)
    me = _join(client, cid)
    r = client.post(f"/api/v1/consultations/{cid}/statements", json={"text": "长" * 141}, headers=me)
    assert r.status_code == 422 and r.json()["error"]["field"] == "text"
    r = client.post(f"/api/v1/consultations/{cid}/votes", json={"statement_id": 999, "vote": 1}, headers=me)
    assert r.status_code == 404
    r = client.post(f"/api/v1/consultations/{cid}/votes", json={"statement_id": 1, "vote": 2}, headers=me)
    assert r.status_code == 422 and r.json()["error"]["field"] == "vote"


def test_the_whole_flow_from_draft_to_the_answer_a_participant_sees(client: TestClient, auth: Any) -> None:
    cid = _opened(client, auth)
    staff = auth("housing-head")
    me, you = _join(client, cid), _join(client, cid)
    clause = client.get(f"/api/v1/consultations/{cid}").json()["clauses"][1]
    r = client.post(f"/api/v1/consultations/{cid}/comments",
                    json={"clause_id": clause["id"], "body": "补贴太少，请联系13812345678"}, headers=me)  # fmt: skip
    assert r.status_code == 201 and "13812345678" not in r.json()["body"]
    comment_id = r.json()["id"]
    public = client.get(f"/api/v1/consultations/{cid}/comments").json()
    assert [c["id"] for c in public] == [comment_id] and "13812345678" not in str(public)
    s = client.post(f"/api/v1/consultations/{cid}/statements", json={"text": "补贴应提高"}, headers=me).json()
    assert client.get(f"/api/v1/consultations/{cid}/statements/next", headers=you).json()["id"] == s["id"]
    for vote in (1, -1):
        r = client.post(
            f"/api/v1/consultations/{cid}/votes", json={"statement_id": s["id"], "vote": vote}, headers=you
        )
        assert r.status_code == 200 and r.headers["content-type"] == "application/json"
        assert r.json() == {"statement_id": s["id"], "vote": vote}
    assert client.get(f"/api/v1/consultations/{cid}/statements/next", headers=you).json() is None
    assert client.get(f"/api/v1/consultations/{cid}/report").status_code == 404
    client.post(f"/api/v1/staff/consultations/{cid}/close", json={}, headers=staff)
    r = client.post(
        f"/api/v1/consultations/{cid}/votes", json={"statement_id": s["id"], "vote": 1}, headers=you
    )
    assert r.status_code == 409 and r.json()["error"]["code"] == "consultation_not_open"
    proposed = client.get(f"/api/v1/staff/consultations/{cid}/proposed-groups", headers=staff).json()
    assert proposed == [[comment_id]]
    r = client.post(f"/api/v1/staff/consultations/{cid}/groups",
                    json={"groups": [{"title": "补贴标准", "comment_ids": [comment_id]}]}, headers=staff)  # fmt: skip
    assert r.status_code == 200, r.text
    r = client.post(f"/api/v1/staff/consultations/{cid}/report", json={}, headers=staff)
    assert r.status_code == 409 and r.json()["error"]["code"] == "unanswered_groups"
    group_id = client.get(f"/api/v1/staff/consultations/{cid}/comments", headers=staff).json()[0]["group_id"]
    client.post(f"/api/v1/staff/consultations/{cid}/answers",
                json={"group_id": group_id, "answer": "partly", "reason": "补贴提高到二十五万元"}, headers=staff)  # fmt: skip
    client.post(f"/api/v1/staff/consultations/{cid}/final-text",
                json={"clause_id": clause["id"], "final_text": "政府补贴每台二十五万元。"}, headers=staff)  # fmt: skip
    assert (
        client.post(f"/api/v1/staff/consultations/{cid}/report", json={}, headers=staff).json()["state"]
        == "answered"
    )
    report = client.get(f"/api/v1/consultations/{cid}/report").json()
    assert (
        report["clauses"][1]["final"] == "政府补贴每台二十五万元。"
        and report["groups"][0]["answer"] == "partly"
    )
    mine = client.get(f"/api/v1/consultations/{cid}/my-comments", headers=me).json()
    assert mine[0]["answer"] == "partly" and mine[0]["reason"] == "补贴提高到二十五万元"


def test_ids_and_codes_that_name_nothing_are_clear_errors_not_failures(client: TestClient, auth: Any) -> None:
    assert client.get("/api/v1/consultations/99999999999").status_code == 404
    assert _create(client, auth, user="admin", department_id=2**40).status_code == 422
    assert _create(client, auth, user="admin", department_id=999).status_code == 404
    r = _create(client, auth, user="admin", region_code="000000")
    assert r.status_code == 422 and r.json()["error"]["field"] == "region_code"
    cid = _opened(client, auth)
    me = _join(client, cid)
    r = client.post(
        f"/api/v1/consultations/{cid}/comments/99999999999/reactions", json={"value": 1}, headers=me
    )
    assert r.status_code == 404
    r = client.post(f"/api/v1/consultations/{cid}/statements", json={"text": "含\x00控制字符"}, headers=me)
    assert r.status_code == 422
