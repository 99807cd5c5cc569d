"""Inspection rounds over HTTP: what the public sends reaches the team only (a walk of every GET route as the
inspected unit finds nothing of it), the rectification flow in the workbench, the published report, bad input."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from minyi.db import session_factory
from tests.support.factories import Org
from tests.support.inspections import LETTER, today
from tests.web.test_public_pii import get_routes
from tests.web.test_report_staff_pages import _post, _sign_in

CALL = "来电反映住建局违规发放补贴给亲属"
CLUE = "王科长索要好处费的线索"
OUTSIDERS = ["housing-handler", "housing-head", "admin", "supervisor", "intake", "transport-handler",
             "housing-inspector", "inspector2"]  # fmt: skip


def _today(engine: Engine) -> Any:
    with session_factory(engine)() as s:
        return today(s)


def _open(client: TestClient, auth: Any, engine: Engine, *, past: bool = False) -> dict[str, Any]:
    t = _today(engine)
    start, end = (
        (t - timedelta(days=60), t - timedelta(days=40))
        if past
        else (t - timedelta(days=1), t + timedelta(days=9))
    )
    r = client.post("/api/v1/staff/inspections", headers=auth("inspector"), json={
        "title": "市委第一巡察组巡察住建局", "unit_id": 1, "starts_on": start.isoformat(), "ends_on": end.isoformat(),
        "phone": "0991-12388"})  # fmt: skip
    assert r.status_code == 201, r.text
    return dict(r.json())


def _paths(client: TestClient, round_id: int) -> list[str]:
    """Every GET route of the app, parameters filled in with the round (and 1 for any other id)."""
    out = []
    for p in get_routes(client.app.routes):  # type: ignore[attr-defined]
        if p.startswith(("/static", "/docs", "/redoc")):
            continue
        out.append(re.sub(r"\{[^}]+\}", "1", p.replace("{round_id}", str(round_id))))
    return out


def test_the_inspected_unit_finds_nothing_of_what_was_sent_on_any_get_route(
    client: TestClient, org: Org, inspectors: None, auth: Any, sqlite_engine: Engine
) -> None:
    rnd = _open(client, auth, sqlite_engine)
    assert client.post(f"/api/v1/inspections/{rnd['id']}/mailbox", json={"body": LETTER}).status_code == 201
    r = client.post(
        f"/api/v1/staff/inspections/{rnd['id']}/calls", json={"body": CALL}, headers=auth("intake")
    )
    assert r.status_code == 200 and r.json()["submissions"] is None  # the operator does not see it afterwards
    r = client.post(f"/api/v1/staff/inspections/{rnd['id']}/clues", json={"summary": CLUE, "submission_id": 1},
                    headers=auth("inspector"))  # fmt: skip
    team = r.json()
    assert [s["body"] for s in team["submissions"]] == [LETTER, CALL] and team["clues"][0]["summary"] == CLUE
    secrets = (LETTER, CALL, CLUE, "13911112222")
    paths = _paths(client, rnd["id"])
    assert f"/staff/inspections/{rnd['id']}" in paths and f"/api/v1/staff/inspections/{rnd['id']}" in paths
    for user in OUTSIDERS:
        _sign_in(client, user)  # the pages, through the session cookie; the API, through the bearer token
        for path in paths:
            resp = client.get(path, headers=auth(user), params={"q": "科长", "queue": "all"})
            body = resp.content.decode("utf-8", "replace")
            assert resp.status_code < 500, (user, path)
            assert not any(s in body for s in secrets), (user, path)
    _sign_in(client, "inspector")  # the walk is not blind: the team does read them there
    assert LETTER in client.get(f"/staff/inspections/{rnd['id']}").text
    client.cookies.clear()
    for path in paths:  # nor the public
        assert not any(s in client.get(path).content.decode("utf-8", "replace") for s in secrets), path


def test_the_mailbox_page_takes_a_letter_and_refuses_bad_input(
    client: TestClient, org: Org, inspectors: None, auth: Any, sqlite_engine: Engine
) -> None:
    rnd = _open(client, auth, sqlite_engine)
    page = f"/inspections/{rnd['id']}"
    assert "0991-12388" in client.get("/inspections").text or rnd["title"] in client.get("/inspections").text
    r = _post(client, page, f"{page}/mailbox", {"body": "太短"})
    assert r.status_code == 422 and "太短" in r.text
    r = _post(client, page, f"{page}/mailbox", {"body": LETTER, "contact": "匿名"})
    assert r.status_code == 303 and r.headers["location"] == f"{page}?sent=1"
    got = client.get(f"/api/v1/staff/inspections/{rnd['id']}", headers=auth("inspector")).json()
    assert got["submissions"][0]["body"] == LETTER
    r = client.post(f"/api/v1/inspections/{rnd['id']}/mailbox", json={"body": "x\u0000" * 10})
    assert r.status_code == 422 and r.json()["error"]["code"]
    assert client.post("/api/v1/inspections/99999/mailbox", json={"body": LETTER}).status_code == 404
    assert (
        client.get(f"/api/v1/inspections/{2**70}").status_code == 404
    )  # no column holds it: missing, not a 500
    assert client.get(f"/api/v1/staff/accountability/{2**70}", headers=auth("supervisor")).status_code == 404
    bad = client.post("/api/v1/staff/inspections", headers=auth("inspector"), json={
        "title": "x", "unit_id": 1, "starts_on": "2026-12-01", "ends_on": "2026-11-01"})  # fmt: skip
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "ends_on"
    far = client.post("/api/v1/staff/inspections", headers=auth("inspector"), json={
        "title": "x", "unit_id": 1, "starts_on": "9999-12-01", "ends_on": "9999-12-30"})  # fmt: skip
    assert far.status_code == 422 and far.json()["error"]["field"] == "ends_on"
    item = {"problem": "问题描述", "unit_id": 1, "post": "科长", "measures": "措施内容", "due_on": "9999-12-31",
            "evidence_required": "材料清单"}  # fmt: skip
    r = client.post(f"/api/v1/staff/inspections/{rnd['id']}/findings", headers=auth("inspector"),
                    json={"findings": "反馈意见", "items": [item]})  # fmt: skip
    assert r.status_code == 422 and r.json()["error"]["field"] == "due_on"
    assert (
        client.get(f"/api/v1/staff/inspections/{rnd['id']}", headers=auth("inspector")).json()["stage"]
        == "inspecting"
    )
    assert client.post("/api/v1/staff/inspections", headers=auth("admin"), json={
        "title": "x", "unit_id": 1, "starts_on": "2026-11-01", "ends_on": "2026-11-20"}).status_code == 403  # fmt: skip


def test_findings_progress_acceptance_and_the_public_report_in_the_workbench(
    client: TestClient, org: Org, inspectors: None, auth: Any, sqlite_engine: Engine
) -> None:
    rnd = _open(client, auth, sqlite_engine, past=True)
    page, due = f"/staff/inspections/{rnd['id']}", (_today(sqlite_engine) - timedelta(days=5)).isoformat()
    assert client.get(f"/inspections/{rnd['id']}/report").status_code == 404
    _sign_in(client, "inspector")
    item = {"problem": "审批环节吃拿卡要", "unit_id": "1", "post": "审批科科长", "measures": "全程留痕，举报电话13800001111",
            "due_on": due, "evidence_required": "制度文件"}  # fmt: skip
    r = _post(client, page, f"{page}/findings", {"findings": "审批权力集中", **item, "post": ""})
    assert (
        r.status_code == 303 and "error=" in r.headers["location"]
    )  # a missing post: refused, nothing written
    assert _post(client, page, f"{page}/findings", {"findings": "审批权力集中", **item}).status_code == 303
    assert "审批科科长" in client.get(page).text
    _sign_in(client, "housing-head")
    r = _post(
        client,
        page,
        f"{page}/items-progress",
        {"item_id": "1", "done": "印发留痕制度", "evidence": "文件", "complete": "yes"},
    )
    assert r.status_code == 303 and "error" not in r.headers["location"]
    assert _post(client, page, f"{page}/items-decision", {"item_id": "1", "accept": "yes", "reason": "自己验收"}).headers[
        "location"].count("error=") == 1  # fmt: skip
    _sign_in(client, "inspector2")
    assert (
        client.get(page).status_code == 200 and "印发留痕制度" not in client.get(page).text
    )  # not on the team
    _sign_in(client, "inspector")
    assert (
        _post(
            client, page, f"{page}/items-decision", {"item_id": "1", "accept": "yes", "reason": "验收通过"}
        ).status_code
        == 303
    )
    assert _post(client, page, f"{page}/report", {}).status_code == 303
    public = client.get(f"/inspections/{rnd['id']}/report")
    assert public.status_code == 200 and "印发留痕制度" in public.text and "13800001111" not in public.text
    api = client.get(f"/api/v1/inspections/{rnd['id']}/report").json()
    assert api["counts"]["accepted"] == 1 and api["items"][0]["post"] == "审批科科长"
    assert client.post(f"{page}/nonsense", data={}).status_code in (403, 404)


def test_the_mailbox_refuses_a_flood_with_429_and_keeps_no_address(
    client: TestClient, org: Org, inspectors: None, auth: Any, sqlite_engine: Engine
) -> None:
    from minyi.inspection.mailbox_gate import LETTERS_PER_SENDER

    rnd = _open(client, auth, sqlite_engine)
    url, page = f"/api/v1/inspections/{rnd['id']}/mailbox", f"/inspections/{rnd['id']}"
    for _ in range(LETTERS_PER_SENDER):
        assert client.post(url, json={"body": LETTER}).status_code == 201
    r = client.post(url, json={"body": LETTER})
    assert r.status_code == 429 and r.json()["error"]["code"] == "rate_limited", r.text
    assert "来信过于频繁" in r.json()["error"]["message"] and r.json()["error"]["field"] == "body"
    assert int(r.headers["retry-after"]) > 0
    r = _post(client, page, f"{page}/mailbox", {"body": LETTER})
    assert r.status_code == 429 and "来信过于频繁" in r.text
    got = client.get(f"/api/v1/staff/inspections/{rnd['id']}", headers=auth("inspector")).json()
    assert len(got["submissions"]) == LETTERS_PER_SENDER  # nothing half-written
    with sqlite_engine.connect() as conn:
        held = repr(conn.exec_driver_sql("SELECT * FROM rate_counters").all())
    assert "testclient" not in held and "127.0.0.1" not in held  # the limiter names no address


def test_a_flood_past_the_rounds_cap_is_held_for_review_and_never_shuts_the_mailbox(
    client: TestClient, org: Org, inspectors: None, auth: Any, sqlite_engine: Engine, monkeypatch: Any
) -> None:
    from minyi.inspection import mailbox_gate
    from minyi.ratelimit.counters import Limit

    monkeypatch.setattr(mailbox_gate, "ROUNDS", Limit("mailbox:round", 2, 3600))
    rnd = _open(client, auth, sqlite_engine)
    url, staff = f"/api/v1/inspections/{rnd['id']}/mailbox", f"/api/v1/staff/inspections/{rnd['id']}"
    senders = [TestClient(client.app, client=(f"198.51.100.{i}", 40000)) for i in range(1, 5)]
    answers = [s.post(url, json={"body": f"{LETTER}（第{i}封）"}) for i, s in enumerate(senders)]
    assert [a.status_code for a in answers] == [201] * 4  # the cap refuses no one: each sees the same receipt
    assert len({a.text for a in answers}) == 1
    got = client.get(staff, headers=auth("inspector")).json()
    assert (
        len(got["submissions"]) == 2 and len(got["held"]) == 2
    )  # past the cap: held, neither listed nor counted
    held = got["held"][0]["id"]
    assert client.post(f"{staff}/letters/release", json={"submission_id": held},
                       headers=auth("housing-head")).status_code in (403, 404)  # fmt: skip
    released = client.post(
        f"{staff}/letters/release", json={"submission_id": held}, headers=auth("inspector")
    )
    assert released.status_code == 200, released.text
    assert len(released.json()["submissions"]) == 3 and len(released.json()["held"]) == 1
    again = client.post(f"{staff}/letters/release", json={"submission_id": held}, headers=auth("inspector"))
    assert again.status_code == 404  # released once
    _sign_in(client, "inspector")
    page = client.get(f"/staff/inspections/{rnd['id']}").text
    assert f'id="held-{got["held"][1]["id"]}"' in page and "letters-release" in page  # the review queue
    assert f'id="held-{held}"' not in page and f'id="submission-{held}"' in page
