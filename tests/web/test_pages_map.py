"""The public map over HTTP: the demo city's districts with counts, as GeoJSON and as a table without JavaScript."""

from __future__ import annotations

import re

from tests.web.pages_support import *  # noqa: F403


def test_the_map_page_shows_the_districts_as_a_table(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/map")
    assert page.status_code == 200
    for name in ("东湖区", "西山区", "南桥区", "北苑区", "青溪县"):
        assert name in page.text
    assert 'href="/cases?region=990102"' in page.text and "/static/vendor/echarts/echarts.min.js" in page.text
    assert '<script type="application/json" id="map-data">' in page.text


def test_an_unknown_filter_falls_back_on_the_page(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/map?days=7&kind=x&topic=<b>").status_code == 200


def test_the_geojson_carries_public_counts_and_no_personal_data(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/api/v1/public/regions.geojson?days=365")
    assert r.status_code == 200
    geo = r.json()
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == 5
    assert sum(f["properties"]["count"] for f in geo["features"]) > 0
    assert set(geo["features"][0]["properties"]) == {"code", "name", "count"}
    bad = client.get("/api/v1/public/regions.geojson?days=7")
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "days"


def test_a_point_picked_on_the_map_sets_the_region(client, db) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from minyi.cases.models import Case
    from tests.web.pages_support import post_form

    data = {"kind": "complaint", "title": "湖滨路井盖缺失", "body": "湖滨路18号门口井盖缺失，夜里很危险。",
            "visibility": "public", "consent": "1", "latitude": "20.15", "longitude": "160.25"}  # fmt: skip
    assert 'id="pick-place"' in client.get("/submit").text
    r = post_form(client, "/submit", "/submit", {**data, "region_code": "990103"})
    assert r.status_code == 422 and 'id="f-region_code-error">所选位置不在所填区域内' in r.text
    assert post_form(client, "/submit", "/submit", data).status_code == 303
    case = db.scalar(select(Case).where(Case.title == "湖滨路井盖缺失"))
    assert case is not None and case.region_code == "990102001"
    assert (case.latitude, case.longitude) == (20.15, 160.25)


def test_the_staff_map_shows_a_department_only_its_own_cases_as_a_table_too(client, db) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from minyi.cases.models import Case
    from tests.web.pages_support import sign_in, user

    handler = user(db, "zjj-handler")
    theirs = set(db.scalars(select(Case.id).where(Case.department_id == handler.department_id,
                                                  Case.visibility != "confidential")))  # fmt: skip
    others = set(db.scalars(select(Case.id).where(Case.department_id != handler.department_id)))
    db.rollback()
    assert client.get("/staff/map", follow_redirects=False).status_code in (303, 401)
    sign_in(client, "zjj-handler")
    page = client.get("/staff/map")
    assert page.status_code == 200 and 'id="map-table-caption"' in page.text and "<table>" in page.text
    linked = {int(x) for x in re.findall(r'href="/staff/cases/(\d+)"', page.text)}
    pinned = {int(x) for x in re.findall(r'"id": (\d+), "name": "#', page.text)}
    assert linked and linked <= theirs and not linked & others and pinned == linked
    assert client.get("/staff/map?state=overdue&kind=nonsense").status_code == 200


def test_the_staff_map_places_hot_issues_and_alerts_as_a_fragment_or_a_page(client) -> None:  # type: ignore[no-untyped-def]
    from tests.web.pages_support import sign_in

    sign_in(client, "supervisor")
    assert 'hx-get="/staff/map/signals"' in client.get("/staff/map").text
    page = client.get("/staff/map/signals")
    assert page.status_code == 200 and "<html" in page.text and "热点问题" in page.text
    part = client.get("/staff/map/signals", headers={"HX-Request": "true", "HX-Target": "signals"})
    assert part.status_code == 200 and "<html" not in part.text and 'id="signals"' in part.text
    assert not re.search(r"\b\d{4}-?\d{4}-?\d{4}\b", part.text)  # no tracking code
