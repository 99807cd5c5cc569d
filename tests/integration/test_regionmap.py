"""The map's figures and the place check of a submission, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minyi.cases import actions as act
from minyi.db import utcnow
from minyi.errors import InvalidInput, NotPermitted
from minyi.regionmap.actions import do_load_region_shapes, store_shapes
from minyi.regionmap.models import RegionShape
from minyi.regionmap.queries import MapFilter, map_data, map_filter, regions_geojson
from minyi.uow import write
from tests.support.factories import Org, make_org, submit
from tests.unit.test_regionmap_rules import collection, feature, square

EAST = {"type": "Polygon", "coordinates": [square(160.0, 20.0, 0.1)]}
WEST = {"type": "Polygon", "coordinates": [square(159.9, 20.0, 0.1)]}


def two_districts(session: Session) -> Org:
    """The small city with the boundaries of its two districts loaded."""
    org = make_org(session)
    with write(session, org.actor("admin"), bookkeeping="test data"):
        store_shapes(session, {"990102": EAST, "990103": WEST})
    return org


@pytest.fixture
def org(session: Session) -> Org:
    return two_districts(session)


def _public(session: Session, org: Org, **kw: object) -> int:
    case = submit(session, **kw)
    act.do_accept(session, case, org.actor("intake"))
    return case.id


def test_regions_are_counted_by_their_public_cases_only(session: Session, org: Org) -> None:
    _public(session, org)
    _public(session, org, kind="suggestion", latitude=20.05, longitude=160.05)
    submit(session)  # registered, not accepted yet: not public
    _public(session, org, visibility="private")
    _public(session, org, region_code="990103")
    _public(session, org, now=utcnow() - timedelta(days=200))
    shapes, figures, points = map_data(session, MapFilter(days=90))
    assert {r.code: r.count for r in figures} == {"990102": 2, "990103": 1}
    assert [r.count for r in map_data(session, MapFilter(days=365))[1]] == [3, 1]
    assert [r.count for r in map_data(session, map_filter(90, kind="suggestion"))[1]] == [1, 0]
    (point,) = points
    assert (point.lon, point.lat) == (160.05, 20.05)
    geo = regions_geojson(shapes, figures)
    assert geo["features"][0]["properties"] == {"code": "990102", "name": "东区", "count": 2}


def test_a_filter_the_map_does_not_offer_is_refused() -> None:
    for kw in ({"days": 7}, {"kind": "rumour"}, {"topic": "zz"}):
        with pytest.raises(InvalidInput):
            map_filter(**kw)  # type: ignore[arg-type]


def test_a_point_sets_the_region_or_must_agree_with_it(session: Session, org: Org) -> None:
    case = submit(session, region_code=None, latitude=20.05, longitude=159.95)
    assert case.region_code == "990103"
    with pytest.raises(InvalidInput) as err:
        submit(session, region_code="990102", latitude=20.05, longitude=159.95)
    assert err.value.field == "region_code"
    with pytest.raises(InvalidInput):
        submit(session, latitude=25.0, longitude=150.0)


def test_a_bad_boundary_file_loads_nothing(session: Session, org: Org) -> None:
    bad = collection(feature("990102", EAST), feature("110101", WEST))
    with pytest.raises(InvalidInput):
        do_load_region_shapes(session, org.actor("admin"), json.dumps(bad))
    with pytest.raises(InvalidInput):
        do_load_region_shapes(session, org.actor("admin"), b"not json")
    with pytest.raises(NotPermitted):
        do_load_region_shapes(session, org.actor("intake"), json.dumps(collection(feature("990102", WEST))))
    assert session.get(RegionShape, "990102").geometry == EAST  # type: ignore[union-attr]
    session.rollback()


def test_an_administrator_loads_boundaries_on_the_record(session: Session, org: Org) -> None:
    pytest.importorskip("minyi.audit.log")  # administrators' writes go on the global audit log
    assert (
        do_load_region_shapes(session, org.actor("admin"), json.dumps(collection(feature("990102", WEST))))
        == 1
    )
    assert session.get(RegionShape, "990102").geometry == WEST  # type: ignore[union-attr]
    assert session.scalar(select(func.count()).select_from(RegionShape)) == 2
