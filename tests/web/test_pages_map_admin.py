"""Administrators' pages for the map's boundaries and the staff contacts, over HTTP: checked, previewed, on the
record, refused to everyone else."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from minyi.audit.models import AuditEntry
from minyi.notifications.models import StaffContact
from minyi.regionmap.models import RegionShape
from tests.unit.test_regionmap_rules import collection, feature, square
from tests.web.pages_support import *  # noqa: F403
from tests.web.pages_support import csrf_of, post_form, sign_in, user

EAST = {"type": "Polygon", "coordinates": [square(117.0, 36.0, 0.1)]}


def _actions(db) -> list[str]:  # type: ignore[no-untyped-def]
    rows = list(db.scalars(select(AuditEntry.action).order_by(AuditEntry.seq.desc()).limit(3)))
    db.rollback()
    return rows


def _upload(client, content: bytes):  # type: ignore[no-untyped-def]
    token = csrf_of(client.get("/staff/admin/boundaries").text)
    return client.post("/staff/admin/boundaries/preview", data={"csrf_token": token},
                       files={"file": ("city.geojson", content, "application/geo+json")}, follow_redirects=False)  # fmt: skip


def test_an_administrator_previews_a_boundary_file_then_loads_it_on_the_record(client, db) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, "admin")
    before = dict(db.execute(select(RegionShape.code, RegionShape.geometry)).all())
    db.rollback()
    code = sorted(before)[0]
    page = _upload(client, json.dumps(collection(feature(code, EAST))).encode())
    assert page.status_code == 200 and "替换现有边界" in page.text and 'id="map-data"' in page.text
    assert db.get(RegionShape, code).geometry == before[code]  # a preview writes nothing
    db.rollback()
    checked = page.text.split('name="geojson" value="', 1)[1].split('"', 1)[0]
    import html

    r = post_form(
        client, "/staff/admin/boundaries", "/staff/admin/boundaries", {"geojson": html.unescape(checked)}
    )
    assert r.status_code == 303 and r.headers["location"] == "/staff/admin/boundaries?loaded=1"
    assert db.get(RegionShape, code).geometry == EAST
    db.rollback()
    assert _actions(db)[0] == "regions.load"


def test_a_bad_boundary_file_is_refused_with_its_reason_and_loads_nothing(client, db) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, "admin")
    count = db.scalar(select(func.count()).select_from(RegionShape))
    db.rollback()
    for bad in (b"", b"not json", json.dumps(collection(feature("000000", EAST))).encode()):
        page = _upload(client, bad)
        assert page.status_code == 422 and 'role="alert"' in page.text
    r = post_form(client, "/staff/admin/boundaries", "/staff/admin/boundaries", {"geojson": "{}"})
    assert r.status_code == 422
    assert db.scalar(select(func.count()).select_from(RegionShape)) == count


def test_only_an_administrator_opens_or_posts_the_admin_map_and_contact_pages(client, db) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, "supervisor")
    for url in ("/staff/admin/boundaries", "/staff/admin/contacts"):
        assert client.get(url).status_code in (403, 404)
    handler = user(db, "zjj-handler")
    token = csrf_of(client.get("/staff").text)
    r = client.post(
        f"/staff/admin/contacts/{handler.id}", data={"csrf_token": token, "email": "x@example.org"}
    )
    assert r.status_code in (403, 404)
    assert client.post(
        "/staff/admin/boundaries", data={"csrf_token": token, "geojson": "{}"}
    ).status_code in (403, 404)
    assert db.get(StaffContact, handler.id) is None


def test_an_administrator_sets_a_staff_contact_on_the_record(client, db) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, "admin")
    handler = user(db, "zjj-handler")
    page = client.get("/staff/admin/contacts")
    assert page.status_code == 200 and f'action="/staff/admin/contacts/{handler.id}"' in page.text
    bad = post_form(client, "/staff/admin/contacts", f"/staff/admin/contacts/{handler.id}",
                    {"email": "", "phone": "13800001111", "notify_by": "email", "language": "zh"})  # fmt: skip
    assert bad.status_code == 422 and db.get(StaffContact, handler.id) is None
    db.rollback()
    r = post_form(client, "/staff/admin/contacts", f"/staff/admin/contacts/{handler.id}",
                  {"email": "zjj@example.org", "phone": "", "notify_by": "email", "language": "en"})  # fmt: skip
    assert r.status_code == 303, r.text
    db.rollback()
    contact = db.get(StaffContact, handler.id)
    assert (contact.email, contact.notify_by, contact.language) == ("zjj@example.org", "email", "en")
    db.rollback()
    assert _actions(db)[0] == "staff_contact.set"
    assert "zjj@example.org" in client.get("/staff/admin/contacts").text
