"""A committee's group demand (联名) on SQLite and PostgreSQL: its households reach the public scoreboard of the
department that handles it, and the hot-issue ranking counts them like distinct people."""

from __future__ import annotations

from sqlalchemy.orm import Session

from minyi.cases import actions as act
from minyi.cases.exports import iter_messages
from minyi.deadlines.clock import calendar
from minyi.insight.hot import rank_hot_issues
from minyi.organisations.actions import do_submit_on_behalf
from minyi.portal import queries
from tests.integration.test_organisations import consent, member_of
from tests.support.factories import make_org, submission


def test_households_reach_the_scoreboard_and_the_hot_issue(session: Session) -> None:
    org = make_org(session)
    committee = member_of(session, "东湖社区居委会", "residents_committee", "committee-member")
    intake = org.actor("intake")
    for households in (86, None):
        case = do_submit_on_behalf(session, committee, submission(), consent(households=households))
        act.do_accept(session, case, intake)
        act.do_assign(session, case, intake, department_id=org.housing.id)
    queries._CACHE.clear()
    rows = {r.name: r for r in queries.scoreboard(session, calendar(session))}
    queries._CACHE.clear()
    assert (rows["住建局"].group_demands, rows["住建局"].households) == (1, 86)
    assert (rows["交通局"].group_demands, rows["交通局"].households) == (0, 0)
    issues = rank_hot_issues(list(iter_messages(session)), top=0)
    [group] = [i for i in issues if i.households]
    assert (group.households, group.people) == (86, 86)  # the committee's member is one of the 86 households
    assert group.rank == 1 and all(i.people == 1 for i in issues if i is not group)


def test_households_are_summed_per_district_on_the_scoreboard(session: Session) -> None:
    from minyi.accounts.actor import SYSTEM
    from minyi.departments.models import Region
    from minyi.organisations.manage import do_edit_organisation
    from minyi.organisations.models import Organisation
    from minyi.organisations.schemas import OrganisationEdit
    from minyi.portal.households import households_by_region
    from minyi.uow import write

    make_org(session)
    with write(session, SYSTEM) as tx:
        session.add(Region(code="990102001", name="东湖街道", parent_code="990102", level=4))
        tx.record("fixture.region", "region", "990102001", {})
    east = member_of(session, "东湖社区居委会", "residents_committee", "east-member")
    west = member_of(session, "西村村委会", "villagers_committee", "west-member")
    west_org = session.query(Organisation).filter_by(name="西村村委会").one()
    do_edit_organisation(
        session,
        SYSTEM,
        west_org.id,
        OrganisationEdit(name="西村村委会", kind="villagers_committee", region_code="990103"),
    )
    for member, region, households in ((east, "990102001", 86), (east, "990102", 14), (east, "990102", None),
                                       (west, None, 30)):  # fmt: skip
        do_submit_on_behalf(session, member, submission(region_code=region), consent(households=households))
    rows = [(r.code, r.name, r.group_demands, r.households) for r in households_by_region(session)]
    # a street's demand counts in its district; a demand naming no region, in its committee's district
    assert rows == [("990102", "东区", 2, 100), ("990103", "西区", 1, 30)]


def test_a_confidential_group_demand_is_left_out_of_every_public_group_figure(session: Session) -> None:
    """A district's only group demand, sealed: a cell of one would tell that it exists and how big the group is."""
    from datetime import UTC, datetime

    from minyi.portal.households import households_by_region

    org = make_org(session)
    committee = member_of(session, "南岭村委会", "villagers_committee", "south-member")
    intake = org.actor("intake")
    for visibility, region, households in (("confidential", "990103", 37), ("public", "990102", 12)):
        sub = submission(visibility=visibility, region_code=region)
        case = do_submit_on_behalf(session, committee, sub, consent(households=households))
        act.do_accept(session, case, intake)
        act.do_assign(session, case, intake, department_id=org.housing.id)
    assert [(r.code, r.group_demands, r.households) for r in households_by_region(session)] == [
        ("990102", 1, 12)
    ]
    year = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
    for window in (None, year):  # the rollup's all-time figures, and the reports' figures from the record
        queries._CACHE.clear()
        rows = {r.name: r for r in queries.scoreboard(session, calendar(session), window=window)}
        housing = rows["住建局"]
        assert (housing.group_demands, housing.households) == (1, 12)
        assert (
            housing.received == 2
        )  # the department still answers for the sealed case in its handling figures
    queries._CACHE.clear()


def test_the_rollup_counts_the_households_set_after_the_insert(session: Session) -> None:
    """Intake's rollup counts a new case from its row as inserted only when nothing wrote to it since: a committee
    sets the households after the insert, so its case's kept facts are read back (what a rebuild gives)."""
    from sqlalchemy import select

    from minyi.accounts.actor import SYSTEM
    from minyi.portal.actions import do_rebuild_scoreboard
    from minyi.portal.models import ScoreboardCase
    from minyi.uow import end_read

    make_org(session)
    committee = member_of(session, "东湖社区居委会", "residents_committee", "committee-member")
    do_submit_on_behalf(session, committee, submission(), consent(households=86))

    def facts() -> dict[int, str]:
        return {c: f for c, f in session.execute(select(ScoreboardCase.case_id, ScoreboardCase.facts))}

    kept = facts()
    end_read(session)
    do_rebuild_scoreboard(session, SYSTEM)
    assert facts() == kept
