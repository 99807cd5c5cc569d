"""The workbench map on SQLite and PostgreSQL: only the cases the member of staff may see, no confidential case,
anonymous ones counted in their region without a point."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from minyi.cases import actions as act
from minyi.cases.models import Case
from minyi.errors import InvalidInput
from minyi.regionmap.staff import StaffFilter, staff_filter, staff_map_data
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
