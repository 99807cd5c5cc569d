"""The workbench's notification page over HTTP: what each role sees, and never a citizen's tracking code."""

from __future__ import annotations

from sqlalchemy import select

from minyi.notifications.models import Notification
from tests.support.tamper import arrange
from tests.web.pages_support import *  # noqa: F403
from tests.web.pages_support import find_case, post_form, sign_in, user


def _submit(client) -> str:  # type: ignore[no-untyped-def]
    body = {"kind": "complaint", "title": "路灯不亮", "body": "湖滨路18号门口路灯坏了两周，晚上很黑。",
            "contact": {"email": "citizen@example.com", "notify_by": "email"}}  # fmt: skip
    r = client.post("/api/v1/cases", json=body)
    assert r.status_code == 201, r.text
    return str(r.json()["tracking_code"])


def test_the_outbox_shows_a_notification_as_not_sent_without_the_code(client, db) -> None:  # type: ignore[no-untyped-def]
    code = _submit(client)
    sign_in(client, "admin")
    page = client.get("/staff/notifications")
    assert page.status_code == 200
    assert "未发送（未配置渠道）" in page.text and "c***@example.com" in page.text
    assert code not in page.text and code.replace("-", "") not in page.text
    assert "citizen@example.com" not in page.text


def test_a_handler_sees_only_their_own_notifications(client, db) -> None:  # type: ignore[no-untyped-def]
    _submit(client)
    case = find_case(db, status="accepted")
    handler = user(db, "zjj-handler")
    sign_in(client, "intake")
    r = post_form(client, f"/staff/cases/{case.id}", f"/staff/cases/{case.id}/act/assign",
                  {"department_id": handler.department_id, "version": case.version})  # fmt: skip
    assert r.status_code == 303, r.text
    client.cookies.clear()
    sign_in(client, "zjj-handler")
    page = client.get("/staff/notifications")
    assert f"新交办案件 #{case.id}" in page.text and "发件箱" not in page.text
    assert "citizen@example.com" not in page.text and "路灯不亮" not in page.text


def test_only_an_administrator_retries_a_dead_letter(client, db) -> None:  # type: ignore[no-untyped-def]
    _submit(client)
    row = db.scalar(select(Notification).order_by(Notification.id.desc()))
    row.status = "dead"
    arrange(db)
    sign_in(client, "supervisor")
    r = post_form(client, "/staff/notifications", f"/staff/notifications/{row.id}/retry", {})
    assert r.status_code in (403, 404)
    db.refresh(row)
    assert row.status == "dead"


def test_the_servers_own_thread_mails_the_tracking_code_within_seconds(demo_engine, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import time

    from fastapi.testclient import TestClient

    from minyi.app import create_app
    from minyi.settings import get_settings
    from tests.support.mailstub import smtp_server

    with smtp_server() as (inbox, port):
        monkeypatch.setenv("MINYI_SMTP_URL", f"smtp://127.0.0.1:{port}")
        monkeypatch.setenv("MINYI_NOTIFY_WORKER", "true")
        get_settings.cache_clear()
        with TestClient(create_app(demo_engine)) as client:
            code = _submit(client)
            deadline = time.monotonic() + 10
            while not inbox.messages and time.monotonic() < deadline:
                time.sleep(0.1)
        assert inbox.messages and code in inbox.bodies("citizen@example.com")[0]


def _portal_submit(client, **extra):  # type: ignore[no-untyped-def]
    data = {"kind": "complaint", "title": "幸福路路灯不亮", "body": "幸福路与人民路口的路灯坏了一个月，晚上很黑。",
            "visibility": "public", "consent": "1", **extra}  # fmt: skip
    return post_form(client, "/submit", "/submit", data)


def test_the_portal_form_takes_an_email_and_the_way_to_be_told(client, db) -> None:  # type: ignore[no-untyped-def]
    client.get("/submit?lang=en")
    r = _portal_submit(
        client, contact_email="li@example.com", contact_phone="13812345678", contact_notify_by="email"
    )
    assert r.status_code == 303, r.text
    row = db.scalar(select(Notification).order_by(Notification.id.desc()))
    assert (row.channel, row.address, row.language) == ("email", "li@example.com", "en")


def test_a_channel_chosen_without_its_contact_is_refused_next_to_the_field(client) -> None:  # type: ignore[no-untyped-def]
    r = _portal_submit(client, contact_email="li@example.com", contact_notify_by="sms")
    assert r.status_code == 422 and 'id="f-contact_notify_by-error">请填写所选通知方式对应的' in r.text
