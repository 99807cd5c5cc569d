"""Migrations and models agree; upgrade and downgrade both run, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from minyi.migrate import downgrade, upgrade
from minyi.models import Base


def test_models_and_migrations_agree(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == [], diff


def test_downgrade_to_base_and_back(engine: Engine) -> None:
    downgrade(engine, "base")
    assert "cases" not in inspect(engine).get_table_names()
    upgrade(engine)
    assert "cases" in inspect(engine).get_table_names()
