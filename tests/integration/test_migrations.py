"""Migrations and models agree; upgrade and downgrade both run, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, select

from minyi.cases.models import Case
from minyi.cases.search import matching
from minyi.db import session_factory
from minyi.migrate import downgrade, upgrade
from minyi.models import Base
from tests.support.factories import make_org, submit
from tests.support.tamper import arrange


def _include_name(name: str | None, type_: str, parent_names: object) -> bool:
    return not (type_ == "table" and name is not None and name.startswith(("case_search", "procrastinate_")))


def test_models_and_migrations_agree(engine: Engine) -> None:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_name": _include_name})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == [], diff


def test_downgrade_to_base_and_back(engine: Engine) -> None:
    downgrade(engine, "base")
    assert "cases" not in inspect(engine).get_table_names()
    upgrade(engine)
    assert "cases" in inspect(engine).get_table_names()


def test_upgrading_to_0004_masks_the_text_of_existing_cases(engine: Engine) -> None:
    with session_factory(engine)() as s:
        make_org(s)
        submit(s, title="张建国反映路灯", body="电话13812345678", contact={"name": "张建国"})
        arrange(s)
    downgrade(engine, "0004-1")  # the revision before the public text
    upgrade(engine)
    with session_factory(engine)() as s:
        case = s.scalars(select(Case)).one()
        assert (case.public_title, case.public_body) == ("【姓名】反映路灯", "电话【手机号】")
        cond = matching(s, "13812345678", Case.id)
        assert cond is not None and s.scalars(select(Case.id).where(cond)).all() == []


def test_upgrading_to_0044_refills_a_rollup_that_counted_a_confidential_group_demand(engine: Engine) -> None:
    """A rollup filled under the old rule counted a sealed group demand in the public group figures; the upgrade
    rebuilds it from the record, so that the scoreboard stops showing it without anyone running a command."""
    from sqlalchemy import func, update

    from minyi.cases import actions as act
    from minyi.organisations.actions import do_submit_on_behalf
    from minyi.portal.models import ScoreboardMonth
    from tests.integration.test_organisations import consent, member_of
    from tests.support.factories import submission

    with session_factory(engine)() as s:
        org = make_org(s)
        committee = member_of(s, "南岭村委会", "villagers_committee", "south-member")
        case = do_submit_on_behalf(
            s, committee, submission(visibility="confidential"), consent(households=37)
        )
        act.do_accept(s, case, org.actor("intake"))
        act.do_assign(s, case, org.actor("intake"), department_id=org.housing.id)
    with engine.begin() as conn:  # what the rollup held before the rule
        conn.execute(update(ScoreboardMonth).values(group_demands=1, households=37))
    downgrade(engine, "0042")
    upgrade(engine)
    with engine.connect() as conn:
        sums = conn.execute(
            select(func.sum(ScoreboardMonth.group_demands), func.sum(ScoreboardMonth.households))
        ).one()
        received = conn.execute(select(func.sum(ScoreboardMonth.received))).scalar()
    assert tuple(sums) == (0, 0)
    assert received == 1  # the department still answers for the sealed case
