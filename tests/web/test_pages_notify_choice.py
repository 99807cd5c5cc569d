"""The citizen's notification choices over HTTP: opt in on the form or the tracking page, unsubscribe by link."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from minyi.cases.models import Case, Submitter
from minyi.cases.tracking import normalize_code
from minyi.notifications.choices import unsubscribe_url
from minyi.notifications.models import Notification
from tests.web.pages_support import *  # noqa: F403
from tests.web.pages_support import csrf_of, post_form


def _submit(client, **extra) -> str:  # type: ignore[no-untyped-def]
    body = {"kind": "complaint", "title": "路灯不亮", "body": "湖滨路18号门口路灯坏了两周，晚上很黑。",
            "contact": {"email": "citizen@example.com", **extra}}  # fmt: skip
    r = client.post("/api/v1/cases", json=body)
    assert r.status_code == 201, r.text
    return str(r.json()["tracking_code"])


def _mine(db, code: str) -> list[Notification]:  # type: ignore[no-untyped-def]
    case = db.scalar(select(Case).where(Case.tracking_code == normalize_code(code)))
    rows = list(db.scalars(select(Notification).where(
        Notification.case_id == case.id, Notification.recipient.like("submitter:%"))))  # fmt: skip
    db.rollback()
    return rows


def test_the_citizen_opts_in_on_the_tracking_page(client, db) -> None:  # type: ignore[no-untyped-def]
    code = _submit(client)
    assert _mine(db, code) == []  # an address alone is no opt-in
    post_form(client, "/track", "/track", {"code": code})
    page = client.get("/track/case")
    assert 'action="/track/notify"' in page.text and "c***@example.com" in page.text
    assert "citizen@example.com" not in page.text
    r = post_form(client, "/track/case", "/track/notify", {"notify_by": "email"})
    assert r.status_code == 303
    case = db.scalar(select(Case).where(Case.tracking_code == normalize_code(code)))
    assert db.get(Submitter, case.submitter_id).notify_by == "email"
    db.rollback()
    r = post_form(client, "/track/case", "/track/notify", {"notify_by": "sms"})  # no phone given
    assert r.status_code == 422


def test_the_tracking_page_choice_needs_the_code_cookie(client) -> None:  # type: ignore[no-untyped-def]
    token = csrf_of(client.get("/track").text)
    r = client.post("/track/notify", data={"notify_by": "", "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 404


def test_unsubscribing_asks_first_then_stops_the_messages(client, db) -> None:  # type: ignore[no-untyped-def]
    code = _submit(client, notify_by="email")
    (row,) = _mine(db, code)
    link = unsubscribe_url(row.recipient).split("/notify/", 1)[1]
    page = client.get("/notify/" + link)
    assert page.status_code == 200 and "确认退订" in page.text
    assert _mine(db, code)[0].status == "unconfigured"  # the GET (a mail scanner) changes nothing
    assert client.get("/notify/unsubscribe?t=forged.token").status_code == 404
    r = post_form(client, "/notify/" + link, "/notify/unsubscribe", {"t": link.split("t=", 1)[1]})
    assert r.status_code == 200 and "已退订" in r.text
    assert _mine(db, code)[0].status == "cancelled"


def test_the_public_follows_new_consultations_and_confirms_by_the_link(client, db) -> None:  # type: ignore[no-untyped-def]
    import re

    from minyi.notifications.models import Subscription

    page = client.get("/consultations")
    assert 'action="/notify/follow"' in page.text
    token = re.search(r'name="t" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    r = post_form(client, "/consultations", "/notify/follow",
                  {"t": token, "channel": "email", "address": "fan@example.com", "language": "zh"})  # fmt: skip
    assert r.status_code == 200 and "确认消息" in r.text
    bad = post_form(client, "/consultations", "/notify/follow",
                    {"t": token, "channel": "email", "address": "nobody", "language": "zh"})  # fmt: skip
    assert bad.status_code == 422
    sub = db.scalar(select(Subscription).where(Subscription.address == "fan@example.com"))
    confirm = db.scalar(select(Notification).where(Notification.recipient == f"sub:{sub.id}"))
    link = confirm.params["confirm"].split("/notify/", 1)[1]
    db.rollback()
    assert "确认订阅" in client.get("/notify/" + link).text
    r = post_form(client, "/notify/" + link, "/notify/confirm", {"t": link.split("t=", 1)[1]})
    assert r.status_code == 200 and "订阅已确认" in r.text
    assert db.scalar(select(Subscription.confirmed_at).where(Subscription.id == sub.id)) is not None


def _confirm(client, db, address: str) -> None:  # type: ignore[no-untyped-def]
    """Open the link sent to `address` and confirm it, as its owner would."""
    [asked] = db.scalars(select(Notification).where(
        Notification.address == address, Notification.template == "confirm_contact")).all()  # fmt: skip
    link = "/track/" + asked.params["confirm"].split("/track/", 1)[1]
    db.rollback()
    assert "确认使用此联系方式" in client.get(link).text
    r = post_form(client, link, "/track/contact/confirm", {"t": link.split("t=", 1)[1]})
    assert r.status_code == 200 and "联系方式已确认" in r.text


def test_a_citizen_who_left_no_address_adds_one_later_and_replaces_it(client, db) -> None:  # type: ignore[no-untyped-def]
    from minyi.audit.models import AuditEntry

    body = {
        "kind": "complaint",
        "title": "路灯不亮",
        "body": "湖滨路18号门口路灯坏了两周，晚上很黑。",
        "visibility": "public",
    }
    r = client.post("/api/v1/cases", json=body)
    assert r.status_code == 201, r.text
    code = str(r.json()["tracking_code"])
    post_form(client, "/track", "/track", {"code": code})
    page = client.get("/track/case")
    assert (
        'action="/track/contact"' in page.text and 'action="/track/notify"' not in page.text
    )  # nothing to choose
    bad = post_form(
        client, "/track/case", "/track/contact", {"channel": "email", "address": "not-an-address"}
    )
    assert bad.status_code == 422
    case = db.scalar(select(Case).where(Case.tracking_code == normalize_code(code)))
    db.rollback()
    for channel, address in (("email", "late@example.com"), ("sms", "13900001111")):
        r = post_form(client, "/track/case", "/track/contact", {"channel": channel, "address": address})
        assert r.status_code == 303 and r.headers["location"] == "/track/case?ok=contact"
        _confirm(client, db, address)
    page = client.get("/track/case")
    assert "l***@example.com" in page.text and "late@example.com" not in page.text
    who = db.get(Submitter, case.submitter_id)
    assert (who.email, who.phone, who.notify_by) == ("late@example.com", "13900001111", "sms")
    entries = db.scalars(select(AuditEntry).where(AuditEntry.action.like("notify.contact%"))).all()
    assert [(e.action, e.data) for e in entries] == [
        ("notify.contact_asked", {"channel": "email"}),
        ("notify.contact", {"channel": "email"}),
        ("notify.contact_asked", {"channel": "sms"}),
        ("notify.contact", {"channel": "sms"}),
    ]  # never the address itself
    db.rollback()
    public = client.get(f"/api/v1/cases/{code}").text + client.get(f"/cases/{case.id}").text
    assert "13900001111" not in public and "late@example.com" not in public
    staff = post_form(client, "/track/case", "/track/contact", {"channel": "email", "address": "x@example.com"},
                      headers={"Authorization": "Bearer whatever"})  # fmt: skip
    assert staff.status_code in (401, 403)  # staff credentials never act in the citizen's place
    with TestClient(client.app) as other:  # no tracking cookie: nothing to change, and nothing told
        token = csrf_of(other.get("/track").text)
        stranger = other.post("/track/contact", data={"channel": "email", "address": "x@example.com",
                                                      "csrf_token": token}, follow_redirects=False)  # fmt: skip
    assert stranger.status_code == 404


def test_giving_a_contact_is_limited_like_any_typed_address(client, db) -> None:  # type: ignore[no-untyped-def]
    """Each change is a write on the audit chain and points messages at an address no one confirmed: whoever holds
    a tracking code could loop it without end (the "tell me" form's limit, per address, applies)."""
    from minyi.audit.models import AuditEntry
    from minyi.ratelimit.public import LIMITS

    code = _submit(client)
    post_form(client, "/track", "/track", {"code": code})
    limit = LIMITS["follow"][0].limit
    for i in range(limit):
        r = post_form(
            client, "/track/case", "/track/contact", {"channel": "email", "address": f"n{i}@example.com"}
        )
        assert r.status_code == 303, r.text
    refused = post_form(
        client, "/track/case", "/track/contact", {"channel": "email", "address": "x@example.com"}
    )
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    entries = db.scalars(select(AuditEntry).where(AuditEntry.action == "notify.contact_asked")).all()
    assert len(entries) == limit  # the refused one wrote nothing
    db.rollback()


def test_opening_the_confirmation_link_changes_nothing_and_the_confirm_needs_the_form(client, db) -> None:  # type: ignore[no-untyped-def]
    """A mail scanner that opens (GET or HEAD) the link confirms nothing, and a page elsewhere cannot post the
    confirmation for the reader (CSRF): only the form the link shows does."""
    code = _submit(client)
    post_form(client, "/track", "/track", {"code": code})
    post_form(client, "/track/case", "/track/contact", {"channel": "email", "address": "new@example.com"})
    [asked] = db.scalars(select(Notification).where(Notification.template == "confirm_contact")).all()
    link = "/track/" + asked.params["confirm"].split("/track/", 1)[1]
    case = db.scalar(select(Case).where(Case.tracking_code == normalize_code(code)))
    db.rollback()

    def email() -> str | None:
        who = db.get(Submitter, case.submitter_id)
        db.rollback()
        return who.email if who else None

    opened = client.get(link)
    assert (
        opened.status_code == 200
        and "n***@example.com" in opened.text
        and "new@example.com" not in opened.text
    )
    assert code not in opened.text and normalize_code(code) not in opened.text
    assert client.head(link).status_code in (200, 405)
    assert email() == "citizen@example.com"
    with TestClient(client.app) as elsewhere:  # no CSRF cookie and token: refused, nothing changed
        forged = elsewhere.post(
            "/track/contact/confirm", data={"t": link.split("t=", 1)[1]}, follow_redirects=False
        )
    assert forged.status_code in (400, 403) and email() == "citizen@example.com"
    assert client.get(link.replace("t=", "t=x")).status_code == 404
    r = post_form(client, link, "/track/contact/confirm", {"t": link.split("t=", 1)[1]})
    assert r.status_code == 200 and email() == "new@example.com"
