"""Migrations and models agree; upgrade and downgrade both run, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from minyi.migrate import downgrade, upgrade
from minyi.models import Base


def _include_name(name: str | None, type_: str, parent_names: object) -> bool:
    return not (type_ == "table" and name is not None and name.startswith("case_search"))


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
