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
