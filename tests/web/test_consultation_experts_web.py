"""Invited opinions and the hearing over HTTP and plain forms: names and signatures public, contacts not."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from minyi.db import session_factory, utcnow
from minyi.notifications.models import Notification
from tests.support.consultations import make_consultation
from tests.support.factories import PASSWORD, Org
from tests.web.pages_support import csrf_of


def _open(sqlite_engine: Engine, org: Org) -> int:
    with session_factory(sqlite_engine)() as s:
        return make_consultation(s, org).id


def test_an_invited_expert_submits_through_the_link_and_the_public_sees_name_and_signature(
    client: TestClient, auth: Any, sqlite_engine: Engine, org: Org
) -> None:
    cid = _open(sqlite_engine, org)
    staff = auth("housing-head")
    r = client.post(f"/api/v1/staff/consultations/{cid}/invitations", headers=staff,
                    json={"role": "expert", "name": "王教授", "affiliation": "某大学"})  # fmt: skip
    assert r.status_code == 200, r.text
    assert client.post(f"/api/v1/staff/consultations/{cid}/invitations", headers=auth("transport-handler"),
                       json={"role": "expert", "name": "冒名"}).status_code == 404  # fmt: skip
    [pending] = client.get(f"/api/v1/staff/consultations/{cid}/expert-opinions", headers=staff).json()
    link = f"/consultations/{cid}/expert-opinion?invitation={pending['invitation']}"
    form = client.get(link)
    assert form.status_code == 200 and "王教授" in form.text
    assert client.get(f"/consultations/{cid}/expert-opinion?invitation=forged").status_code == 404
    r = client.post(f"/consultations/{cid}/expert-opinion",
                    data={"csrf_token": csrf_of(form.text), "invitation": pending["invitation"], "body": "建议分档补贴。"})  # fmt: skip
    assert r.status_code == 201 and "SHA-256" in r.text
    [published] = client.get(f"/api/v1/consultations/{cid}/expert-opinions").json()
    assert published["name"] == "王教授" and len(published["sha256"]) == 64 and published["audit_seq"] > 0
    again = client.post(f"/api/v1/consultations/{cid}/expert-opinions", json={"body": "再改"},
                        headers={"X-Invitation": pending["invitation"]})  # fmt: skip
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_submitted"
    page = client.get(f"/consultations/{cid}").text
    assert "王教授" in page and published["sha256"] in page


def test_a_visitor_registers_for_the_hearing_and_only_the_organiser_sees_the_phone(
    client: TestClient, auth: Any, sqlite_engine: Engine, org: Org
) -> None:
    cid = _open(sqlite_engine, org)
    staff = auth("housing-head")
    at = (utcnow() + timedelta(days=5)).isoformat()
    r = client.post(f"/api/v1/staff/consultations/{cid}/hearing", headers=staff,
                    json={"hearing_at": at, "place": "市民中心三楼", "capacity": 1})  # fmt: skip
    assert r.status_code == 200, r.text
    page = client.get(f"/consultations/{cid}")
    assert "市民中心三楼" in page.text
    r = client.post(f"/consultations/{cid}/hearing", data={"csrf_token": csrf_of(page.text), "name": "张三",
                    "phone": "13912345678", "position": "oppose", "note": "反对加装"})  # fmt: skip
    assert r.status_code == 201 and "已报名" in r.text
    receipt = r.text.split('<code id="receipt">')[1].split("<")[0]
    second = client.post(f"/api/v1/consultations/{cid}/hearing/registrations",
                         json={"name": "李四", "phone": "13912345679"})  # fmt: skip
    assert second.status_code == 201 and second.json()["state"] == "waitlisted"
    assert "13912345678" not in client.get(f"/consultations/{cid}").text
    assert "13912345678" not in client.get(f"/api/v1/consultations/{cid}/hearing").text
    listed = client.get(f"/api/v1/staff/consultations/{cid}/hearing/registrations", headers=staff).json()
    assert [x["phone"] for x in listed] == ["13912345678", "13912345679"]
    r = client.post(f"/api/v1/staff/consultations/{cid}/hearing-confirmations", headers=staff,
                    json={"registration_id": listed[0]["id"]})  # fmt: skip
    assert r.status_code == 200
    mine = client.get(
        f"/api/v1/consultations/{cid}/hearing/registrations/mine", headers={"X-Receipt": receipt}
    )
    assert mine.json()["state"] == "confirmed"
    full = client.post(f"/api/v1/staff/consultations/{cid}/hearing-confirmations", headers=staff,
                       json={"registration_id": listed[1]["id"]})  # fmt: skip
    assert full.status_code == 409 and full.json()["error"]["code"] == "hearing_full"


def test_the_organiser_invites_and_announces_the_hearing_from_the_workbench(
    client: TestClient, sqlite_engine: Engine, org: Org
) -> None:
    cid = _open(sqlite_engine, org)
    token = csrf_of(client.get("/staff/login").text)
    client.post("/staff/login", data={"username": "housing-head", "password": PASSWORD, "csrf_token": token,
                                      "next": "/staff"})  # fmt: skip
    page = f"/staff/consultations/{cid}"
    r = client.post(f"{page}/act/invite", data={"csrf_token": csrf_of(client.get(page).text), "role": "deputy",
                    "name": "李代表", "affiliation": "市人大", "email": "li.deputy@example.org", "phone": ""},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    with sqlite_engine.connect() as conn:  # the invitation went to the notifications' outbox, with its link
        sent = conn.execute(select(Notification.address, Notification.params)
                            .where(Notification.template == "consultation_invited")).one()  # fmt: skip
    assert (
        sent.address == "li.deputy@example.org" and "expert-opinion?invitation=" in sent.params["invitation"]
    )
    when = (utcnow() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    r = client.post(f"{page}/act/hearing", data={"csrf_token": csrf_of(client.get(page).text), "hearing_at": when,
                    "place": "区政府礼堂", "capacity": "80"}, follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    shown = client.get(page).text
    assert "李代表" in shown and "expert-opinion?invitation=" in shown and "区政府礼堂" in shown
    refused = client.post(f"{page}/act/hearing", data={"csrf_token": csrf_of(shown), "hearing_at": "2001-01-01T09:00",
                          "place": "礼堂", "capacity": "80"})  # fmt: skip
    assert refused.status_code == 422 and "听证会时间应晚于现在" in refused.text


def test_the_consultation_pages_read_in_english(client: TestClient, sqlite_engine: Engine, org: Org) -> None:
    cid = _open(sqlite_engine, org)
    page = client.get(f"/consultations/{cid}?lang=en").text
    for english in ("Clause 1", "Submit the comment", "Opinion groups", "Vote"):
        assert english in page, english
    assert "发表意见" not in page and "提交意见" not in page
