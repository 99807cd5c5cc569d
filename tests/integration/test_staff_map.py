"""The workbench map on SQLite and PostgreSQL: only the cases the member of staff may see, no confidential case,
anonymous ones counted in their region without a point."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from minyi.cases import actions as act
from minyi.cases.models import Case
from minyi.errors import InvalidInput
from minyi.regionmap.staff import StaffFilter, place_signals, staff_filter, staff_map_data
from tests.integration.test_regionmap import two_districts
from tests.support.factories import Org, submit

PLACE = {"latitude": 20.05, "longitude": 160.05}


@pytest.fixture
def org(session: Session) -> Org:
    return two_districts(session)


def _assigned(session: Session, org: Org, department_id: int, **kw: object) -> Case:
    case = submit(session, **kw)
    act.do_accept(session, case, org.actor("admin"))
    act.do_assign(session, case, org.actor("admin"), department_id=department_id)
    return case


def test_a_department_sees_its_own_cases_and_never_a_confidential_one_or_an_anonymous_pin(
    session: Session, org: Org
) -> None:
    mine = _assigned(session, org, org.housing.id, **PLACE)
    _assigned(session, org, org.housing.id, anonymous=True, **PLACE)
    _assigned(session, org, org.housing.id, visibility="confidential", **PLACE)
    _assigned(session, org, org.transport.id, **PLACE)
    _shapes, regions, points = staff_map_data(session, org.actor("housing-handler"), StaffFilter())
    assert {r.code: r.open for r in regions} == {"990102": 2, "990103": 0}  # mine and the anonymous one
    assert [p.case_id for p in points] == [mine.id]
    _shapes, regions, points = staff_map_data(session, org.actor("supervisor"), StaffFilter())
    assert {r.code: r.open for r in regions}["990102"] == 3  # all departments, still no confidential case
    assert len(points) == 2


def test_overdue_cases_are_counted_apart_and_closed_ones_are_left_off(session: Session, org: Org) -> None:
    case = _assigned(session, org, org.housing.id, **PLACE)
    declined = submit(session, **PLACE)
    act.do_decline(session, declined, org.actor("intake"), reason="不属于受理范围")
    due = session.get(Case, case.id).due_at  # type: ignore[union-attr]
    session.rollback()
    assert due is not None
    from datetime import timedelta

    later = due + timedelta(days=1)
    _s, regions, points = staff_map_data(session, org.actor("housing-head"), StaffFilter(), now=later)
    assert (regions[0].open, regions[0].overdue) == (1, 1) and points[0].overdue
    _s, regions, _p = staff_map_data(
        session, org.actor("housing-head"), StaffFilter(state="overdue"), now=due
    )
    assert regions[0].open == 0


def test_a_filter_the_staff_map_does_not_offer_is_refused() -> None:
    for kw in ({"state": "all"}, {"kind": "rumour"}, {"topic": "zz"}):
        with pytest.raises(InvalidInput):
            staff_filter(**kw)


def test_hot_issues_and_alerts_are_placed_by_the_cases_the_viewer_may_read(
    session: Session, org: Org
) -> None:
    east = _assigned(session, org, org.housing.id, region_code="990102")
    west = _assigned(session, org, org.housing.id, region_code="990103")
    west2 = _assigned(session, org, org.housing.id, region_code="990103")
    theirs = _assigned(session, org, org.transport.id, region_code="990102")
    sealed = _assigned(session, org, org.housing.id, region_code="990102", visibility="confidential")
    codes = {c.id: c.tracking_code for c in (east, west, west2, theirs, sealed)}
    signals = [("hot", "电梯", 3, [codes[east.id], codes[west.id], codes[west2.id]]),
               ("alert", "供水", 3, [codes[theirs.id], codes[sealed.id], codes[east.id]]),
               ("alert", "噪音", 1, [codes[theirs.id]])]  # fmt: skip
    placed = place_signals(session, org.actor("housing-handler"), ["990102", "990103"], signals)
    assert [(p.label, p.region_code) for p in placed] == [
        ("电梯", "990103"),
        ("供水", "990102"),
        ("噪音", None),
    ]
    assert placed[0].region_name == "西区"
