"""The JSON API: public submission, tracking and evaluation; staff actions, queues and every error shape."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from tests.support.factories import Org

GOOD_REPLY = "经现场核查，小区3栋电梯控制板损坏，物业已于本周更换控制板，电梯已恢复运行。根据《特种设备安全法》，我局已责令物业每月维保并在小区公示维保记录。"
SUB: dict[str, Any] = {
    "kind": "complaint",
    "title": "小区电梯坏了",
    "body": "我叫王小明，电话13912345678，我们小区3栋2单元501室门口电梯坏了一个月。",
    "region_code": "990102",
    "topic_code": "01",
    "contact": {"name": "王小明", "phone": "13912345678"},
}


def _submit(client: TestClient, **over: Any) -> dict[str, Any]:
    r = client.post("/api/v1/cases", json={**SUB, **over})
    assert r.status_code == 201, r.text
    return r.json()


def _staff_id(client: TestClient, auth: Any, code: str) -> int:
    """Staff find a case by its code as the citizen reads it out (with dashes, in lower case)."""
    r = client.get("/api/v1/staff/queue", params={"queue": "all", "q": code.lower()}, headers=auth("intake"))
    assert r.status_code == 200, r.text
    return int(r.json()["items"][0]["id"])


def test_submit_track_and_follow_every_state(client: TestClient, auth: Any, org: Org) -> None:
    case = _submit(client)
    code = case["tracking_code"]
    assert case["status"] == "registered" and case["due_at"]
    assert "13912345678" not in str(case)  # masked for anyone holding the code
    assert "王小明" not in str(case)
    cid = _staff_id(client, auth, code)
    steps = [
        ("intake", "accept", {}), ("intake", "assign", {"department_id": org.housing.id}),
        ("housing-handler", "sign-for", {}), ("housing-handler", "reply", {"text": GOOD_REPLY}),
    ]  # fmt: skip
    for user, action, body in steps:
        r = client.post(f"/api/v1/staff/cases/{cid}/{action}", json=body, headers=auth(user))
        assert r.status_code == 200, (action, r.text)
    tracked = client.get(f"/api/v1/cases/{code}").json()
    assert tracked["status"] == "replied" and tracked["reply"] == GOOD_REPLY
    assert [e["action"] for e in tracked["timeline"]] == ["register", "accept", "assign", "sign_for", "reply"]
    r = client.post(
        f"/api/v1/cases/{code}/evaluation", json={"evaluation": "unsatisfied", "comment": "没修好"}
    )
    assert r.json()["status"] == "rehandling"
    weak = client.post(
        f"/api/v1/staff/cases/{cid}/reply", json={"text": "再次维修完成"}, headers=auth("housing-handler")
    )
    assert (
        weak.status_code == 409 and weak.json()["error"]["code"] == "weak_reply"
    )  # warned before it goes out
    sent = client.post(f"/api/v1/staff/cases/{cid}/reply", json={"text": "再次维修完成", "confirm_weak": True},
                       headers=auth("housing-handler"))  # fmt: skip
    assert sent.status_code == 200 and sent.json()["reply_weak"] and sent.json()["reply_issues"]
    r = client.post(f"/api/v1/cases/{code}/evaluation", json={"evaluation": "satisfied"})
    assert r.json()["status"] == "closed" and r.json()["round"] == 2


def test_a_complete_lawful_reply_goes_out_without_a_weak_warning(
    client: TestClient, auth: Any, org: Org
) -> None:
    # Issue 9 (newcomer): "经核查，已联系社区对养犬户进行劝导…依据《…养犬管理条例》…" was flagged as weak.
    dog = "楼下邻居养大型犬，每天夜里狗叫扰民，出门也不拴绳，小孩很害怕，希望有关部门管一管。"
    cid = _staff_id(client, auth, _submit(client, title="邻居养狗扰民", body=dog)["tracking_code"])
    for user, action, body in [("intake", "accept", {}), ("intake", "assign", {"department_id": org.housing.id}),
                               ("housing-handler", "sign-for", {})]:  # fmt: skip
        assert (
            client.post(f"/api/v1/staff/cases/{cid}/{action}", json=body, headers=auth(user)).status_code
            == 200
        )
    text = (
        "经核查，已联系社区对养犬户进行劝导，要求其文明养犬、出门拴绳。"
        "依据《明川市养犬管理条例》，社区将持续跟进，如再次发生请及时反映。"
    )
    r = client.post(f"/api/v1/staff/cases/{cid}/reply", json={"text": text}, headers=auth("housing-handler"))
    assert r.status_code == 200, r.text
    assert r.json()["reply_weak"] is False


def test_idempotency_key(client: TestClient, org: Org) -> None:
    h = {"Idempotency-Key": "abc-123"}
    a = client.post("/api/v1/cases", json=SUB, headers=h)
    b = client.post("/api/v1/cases", json=SUB, headers=h)
    assert (a.status_code, b.status_code) == (201, 200)
    assert a.json()["tracking_code"] == b.json()["tracking_code"]
    c = client.post("/api/v1/cases", json={**SUB, "title": "别的事"}, headers=h)
    assert c.status_code == 409 and c.json()["error"]["field"] == "Idempotency-Key"


def test_errors_are_structured(client: TestClient, auth: Any, org: Org) -> None:
    cases = [
        ({**SUB, "kind": "rant"}, 422, "kind"),
        ({**SUB, "body": "坏\x07了"}, 422, "body"),
        ({**SUB, "title": "   "}, 422, "title"),
        ({**SUB, "region_code": "110101"}, 422, "region_code"),
        ({**SUB, "topic_code": "77"}, 422, "topic_code"),
        ({**SUB, "occurred_at": "2999-01-01T00:00:00+08:00"}, 422, "occurred_at"),
        ({**SUB, "body": "长" * 10_001}, 413, "body"),
        ({**SUB, "unexpected": 1}, 422, "unexpected"),
    ]
    for body, status, field in cases:
        r = client.post("/api/v1/cases", json=body)
        assert r.status_code == status, (field, r.text)
        err = r.json()["error"]
        assert err["field"] == field and err["message"] and err["message_en"] and err["code"]
        assert not re.search("[A-Za-z]{2,}", err["message"].replace(field, "")), err[
            "message"
        ]  # Chinese only
    huge = client.post(
        "/api/v1/cases", content=b"x" * 1_100_000, headers={"Content-Type": "application/json"}
    )
    assert huge.status_code == 413


def test_unknown_and_mistyped_codes_are_404(client: TestClient, org: Org) -> None:
    code = _submit(client)["tracking_code"].replace("-", "")
    typo = code[:-1] + ("0" if code[-1] != "0" else "1")
    for c in (typo, "nonsense", "0000-0000-0000"):
        r = client.get(f"/api/v1/cases/{c}")
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def test_invalid_transition_is_409(client: TestClient, auth: Any, org: Org) -> None:
    cid = _staff_id(client, auth, _submit(client)["tracking_code"])
    r = client.post(f"/api/v1/staff/cases/{cid}/reply", json={"text": "x"}, headers=auth("housing-handler"))
    assert r.status_code == 404  # not assigned to housing yet: not visible to it at all
    r = client.post(f"/api/v1/staff/cases/{cid}/sign-for", json={}, headers=auth("intake"))
    assert r.status_code == 409 and r.json()["error"]["code"] == "invalid_transition"
    r = client.post(
        f"/api/v1/staff/cases/{cid}/accept", json={}, headers={**auth("intake"), "If-Match": "99"}
    )
    assert r.status_code == 409 and r.json()["error"]["field"] == "version"


def test_auth_is_required_and_wrong_department_sees_404(client: TestClient, auth: Any, org: Org) -> None:
    assert client.get("/api/v1/staff/queue").status_code == 401
    bad = {"Authorization": "Bearer nope"}
    assert client.get("/api/v1/staff/queue", headers=bad).status_code == 401
    cid = _staff_id(client, auth, _submit(client)["tracking_code"])
    client.post(f"/api/v1/staff/cases/{cid}/accept", json={}, headers=auth("intake"))
    client.post(
        f"/api/v1/staff/cases/{cid}/assign", json={"department_id": org.housing.id}, headers=auth("intake")
    )
    assert client.get(f"/api/v1/staff/cases/{cid}", headers=auth("housing-handler")).status_code == 200
    other = client.get(f"/api/v1/staff/cases/{cid}", headers=auth("transport-handler"))
    missing = client.get("/api/v1/staff/cases/999999", headers=auth("transport-handler"))
    assert other.status_code == missing.status_code == 404 and other.json() == missing.json()
    assert (
        client.post(
            "/api/v1/departments", json={"code": "x", "name": "x"}, headers=auth("intake")
        ).status_code
        == 403
    )


def test_lockout_after_repeated_failures(client: TestClient, org: Org) -> None:
    for _ in range(5):
        assert (
            client.post("/api/v1/auth/token", json={"username": "intake", "password": "wrong"}).status_code
            == 401
        )
    r = client.post("/api/v1/auth/token", json={"username": "intake", "password": "correct horse battery"})
    assert r.status_code == 429 and r.json()["error"]["code"] == "locked_out"


def test_queues(client: TestClient, auth: Any, org: Org) -> None:
    cid = _staff_id(client, auth, _submit(client)["tracking_code"])
    dispatch = client.get("/api/v1/staff/queue", params={"queue": "dispatch"}, headers=auth("intake")).json()
    assert dispatch["total"] == 1
    client.post(f"/api/v1/staff/cases/{cid}/accept", json={}, headers=auth("intake"))
    client.post(
        f"/api/v1/staff/cases/{cid}/assign", json={"department_id": org.housing.id}, headers=auth("intake")
    )
    mine = client.get("/api/v1/staff/queue", headers=auth("housing-handler")).json()
    assert [c["id"] for c in mine["items"]] == [cid] and mine["items"][0]["contact"] is None
    full = client.get(f"/api/v1/staff/cases/{cid}", headers=auth("housing-handler")).json()
    assert full["contact"]["phone"] == "13912345678"
    assert client.get("/api/v1/staff/queue", headers=auth("transport-handler")).json()["total"] == 0
    assert (
        client.get("/api/v1/staff/queue", params={"queue": "bogus"}, headers=auth("intake")).status_code
        == 422
    )


def test_public_list_and_openapi(client: TestClient, auth: Any, org: Org) -> None:
    public = _submit(client)
    private = _submit(client, visibility="private", title="私密")
    assert client.get("/api/v1/public/cases").json() == []  # published once someone has accepted it
    for case in (public, private):
        cid = _staff_id(client, auth, case["tracking_code"])
        client.post(f"/api/v1/staff/cases/{cid}/accept", json={}, headers=auth("intake"))
    items = client.get("/api/v1/public/cases").json()
    assert len(items) == 1 and items[0]["tracking_code"] is None and "13912345678" not in str(items)
    spec = client.get("/openapi.json").json()
    assert "/api/v1/cases" in spec["paths"] and "/api/v1/cases/{tracking_code}/evaluation" in spec["paths"]


def test_withdrawal_merge_extension_supervision_and_correction(
    client: TestClient, auth: Any, org: Org
) -> None:
    a = _submit(client)
    b = _submit(client, title="电梯还是坏的")
    ida, idb = _staff_id(client, auth, a["tracking_code"]), _staff_id(client, auth, b["tracking_code"])
    r = client.post(f"/api/v1/staff/cases/{idb}/merge", json={"master_case_id": ida}, headers=auth("intake"))
    assert r.status_code == 200 and r.json()["status"] == "merged"
    assert client.get(f"/api/v1/cases/{b['tracking_code']}").json()["merged_into"] == "merged"
    for action, body, user in [
        ("accept", {}, "intake"), ("assign", {"department_id": org.housing.id}, "intake"),
        ("sign-for", {}, "housing-handler"), ("extension", {"days": 10, "reason": "会勘"}, "housing-handler"),
    ]:  # fmt: skip
        assert (
            client.post(f"/api/v1/staff/cases/{ida}/{action}", json=body, headers=auth(user)).status_code
            == 200
        )
    req = client.get(f"/api/v1/staff/cases/{ida}", headers=auth("supervisor")).json()
    r = client.post(f"/api/v1/staff/cases/{ida}/extension/decision", json={"request_id": 1, "approve": True},
                    headers=auth("supervisor"))  # fmt: skip
    assert r.status_code == 200 and r.json()["extension_days"] == 10 and r.json()["due_at"] > req["due_at"]
    r = client.post(
        f"/api/v1/staff/cases/{ida}/supervise", json={"note": "请加快"}, headers=auth("supervisor")
    )
    assert r.status_code == 200
    r = client.post(
        f"/api/v1/staff/cases/{ida}/correction", json={"topic_code": "01.01"}, headers=auth("intake")
    )
    assert r.status_code == 200 and r.json()["topic_code"] == "01.01"
    c = _submit(client)
    r = client.post(f"/api/v1/cases/{c['tracking_code']}/withdrawal", json={"note": "不需要了"})
    assert r.status_code == 200 and r.json()["status"] == "withdrawn"


def test_decline_return_notes_and_reference_endpoints(client: TestClient, auth: Any, org: Org) -> None:
    a, b = _submit(client), _submit(client, title="另一件")
    ida, idb = _staff_id(client, auth, a["tracking_code"]), _staff_id(client, auth, b["tracking_code"])
    r = client.post(
        f"/api/v1/staff/cases/{ida}/decline", json={"reason": "属于诉讼程序"}, headers=auth("intake")
    )
    assert r.status_code == 200 and r.json()["status"] == "declined"
    assert client.get(f"/api/v1/cases/{a['tracking_code']}").json()["decline_reason"] == "属于诉讼程序"
    assert (
        client.post(
            f"/api/v1/staff/cases/{ida}/decline", json={"reason": ""}, headers=auth("intake")
        ).status_code
        == 422
    )
    client.post(f"/api/v1/staff/cases/{idb}/accept", json={}, headers=auth("intake"))
    client.post(
        f"/api/v1/staff/cases/{idb}/assign", json={"department_id": org.transport.id}, headers=auth("intake")
    )
    r = client.post(
        f"/api/v1/staff/cases/{idb}/return", json={"reason": "非本单位"}, headers=auth("transport-handler")
    )
    assert r.status_code == 200 and r.json()["status"] == "returned"
    returned = client.get(
        "/api/v1/staff/queue", params={"queue": "returned"}, headers=auth("supervisor")
    ).json()
    assert [c["id"] for c in returned["items"]] == [idb]
    r = client.post(
        f"/api/v1/staff/cases/{idb}/notes", json={"reason": "已电话沟通"}, headers=auth("supervisor")
    )
    assert r.status_code == 200
    timeline = client.get(f"/api/v1/cases/{b['tracking_code']}").json()["timeline"]
    assert "note" not in [e["action"] for e in timeline]  # internal notes stay internal
    assert client.get("/api/v1/staff/stats", headers=auth("intake")).json() == {"declined": 1, "returned": 1}
    me = client.get("/api/v1/auth/me", headers=auth("transport-handler")).json()
    assert me["role"] == "handler" and me["department_id"] == org.transport.id
    assert {d["code"] for d in client.get("/api/v1/departments").json()} == {"housing", "transport", "east"}
    assert any(r["code"] == "990102" for r in client.get("/api/v1/regions").json())
    assert any(t["code"] == "01" for t in client.get("/api/v1/topics").json())
    r = client.post("/api/v1/routing-rules", json={"department_id": org.district.id, "region_prefix": "990102"},
                    headers=auth("admin"))  # fmt: skip
    assert r.status_code == 201
    r = client.post("/api/v1/routing-rules", json={"department_id": 999}, headers=auth("admin"))
    assert r.status_code == 422 and r.json()["error"]["field"] == "department_id"
    r = client.post("/api/v1/departments", json={"code": "housing", "name": "重复"}, headers=auth("admin"))
    assert r.status_code == 409


def test_administrators_configure_deadline_policies(client: TestClient, auth: Any, org: Org) -> None:
    policy = {
        "name": "热线一般件（本市）",
        "channel": "hotline",
        "accept_days": 1,
        "handle_days": 3,
        "extension_max_days": 5,
    }
    assert client.put("/api/v1/policies", json=policy, headers=auth("intake")).status_code == 403
    assert (
        client.put(
            "/api/v1/policies", json={**policy, "extension_max_days": 40}, headers=auth("admin")
        ).status_code
        == 422
    )
    r = client.put("/api/v1/policies", json={**policy, "handle_days": False}, headers=auth("admin"))
    assert r.status_code == 422, "a boolean is not a number of days"
    assert client.put("/api/v1/policies", json=policy, headers=auth("admin")).status_code == 200
    names = [p["name"] for p in client.get("/api/v1/policies").json()]
    assert names[-1] == "热线一般件（本市）"
    case = _submit(client, channel="hotline")
    cid = _staff_id(client, auth, case["tracking_code"])
    client.post(f"/api/v1/staff/cases/{cid}/accept", json={}, headers=auth("intake"))
    staff = client.get(f"/api/v1/staff/cases/{cid}", headers=auth("intake")).json()
    from datetime import datetime

    from minyi.deadlines.workcal import WorkCalendar

    due = datetime.fromisoformat(staff["due_at"])
    assert WorkCalendar().workdays_elapsed(datetime.fromisoformat(staff["registered_at"]), due) <= 4


def test_administrators_change_the_calendar_and_new_deadlines_follow(
    client: TestClient, auth: Any, org: Org
) -> None:
    from datetime import datetime

    from minyi.deadlines.workcal import WorkCalendar

    before = datetime.fromisoformat(_submit(client)["due_at"])
    cal = WorkCalendar()
    tomorrow_work = cal.add_workdays(cal.local_date(datetime.now().astimezone()), 1)
    r = client.put(f"/api/v1/calendar/{tomorrow_work.isoformat()}", json={"kind": "holiday", "note": "防汛停工"},
                   headers=auth("admin"))  # fmt: skip
    assert r.status_code == 200
    assert (
        client.put(
            f"/api/v1/calendar/{tomorrow_work}", json={"kind": "holiday"}, headers=auth("intake")
        ).status_code
        == 403
    )
    assert (
        client.put("/api/v1/calendar/2026-13-01", json={"kind": "holiday"}, headers=auth("admin")).status_code
        == 422
    )
    assert client.get("/api/v1/calendar/overrides").json()[0]["note"] == "防汛停工"
    after = datetime.fromisoformat(_submit(client)["due_at"])
    assert after > before  # one working day fewer in the window: the acceptance deadline moves out
    client.put(f"/api/v1/calendar/{tomorrow_work}", json={"kind": "official"}, headers=auth("admin"))
    assert client.get("/api/v1/calendar/overrides").json() == []


def test_intake_registers_a_hotline_call_on_the_record(client: TestClient, auth: Any, org: Org) -> None:
    call = {**SUB, "channel": "hotline", "on_behalf_of": None}
    assert client.post("/api/v1/staff/cases", json=call, headers=auth("housing-handler")).status_code == 403
    r = client.post("/api/v1/staff/cases", json=call, headers={**auth("intake"), "Idempotency-Key": "call-1"})
    assert (
        r.status_code == 201
        and r.json()["channel"] == "hotline"
        and r.json()["contact"]["phone"] == "13912345678"
    )
    again = client.post(
        "/api/v1/staff/cases", json=call, headers={**auth("intake"), "Idempotency-Key": "call-1"}
    )
    assert again.status_code == 200 and again.json()["id"] == r.json()["id"]
    from minyi.cases.models import CaseEvent
    from minyi.db import session_factory

    with session_factory(client.app.state.session_factory.kw["bind"])() as s:  # type: ignore[attr-defined]
        first = s.query(CaseEvent).filter_by(case_id=r.json()["id"], seq=1).one()
        assert first.actor_role == "intake" and first.action == "register"


def test_staff_correct_a_case_to_urgent_and_its_deadline_follows(
    client: TestClient, auth: Any, org: Org
) -> None:
    case = _submit(client)
    cid = _staff_id(client, auth, case["tracking_code"])
    before = client.get(f"/api/v1/staff/cases/{cid}", headers=auth("intake")).json()
    r = client.post(f"/api/v1/staff/cases/{cid}/correction", json={"urgent": True, "channel": "hotline"},
                    headers=auth("intake"))  # fmt: skip
    assert r.status_code == 200, r.text
    after = r.json()
    assert (
        after["urgent"] is True and after["channel"] == "hotline" and after["deadline_provisional"] is False
    )
    assert after["due_at"] < before["due_at"]  # the urgent policy answers the same day
    bad = client.post(
        f"/api/v1/staff/cases/{cid}/correction", json={"kind": "rumour"}, headers=auth("intake")
    )
    assert bad.status_code == 422


def test_administrators_load_a_years_schedule_and_coverage_follows(
    client: TestClient, auth: Any, org: Org
) -> None:
    assert 2099 not in client.get("/api/v1/calendar/coverage").json()["covered_years"]
    schedule = {"holidays": ["2099-01-01", "2099-01-02"], "workdays": ["2099-01-04"], "note": "2099年安排"}
    assert client.post("/api/v1/calendar/schedule", json=schedule, headers=auth("intake")).status_code == 403
    clash = {"holidays": ["2099-01-01"], "workdays": ["2099-01-01"]}
    r = client.post("/api/v1/calendar/schedule", json=clash, headers=auth("admin"))
    assert r.status_code == 422 and r.json()["error"]["field"] == "holidays"
    r = client.post("/api/v1/calendar/schedule", json=schedule, headers=auth("admin"))
    assert r.status_code == 200 and r.json()["loaded"] == 3 and 2099 in r.json()["covered_years"]
    assert 2099 in client.get("/api/v1/calendar/coverage").json()["covered_years"]
