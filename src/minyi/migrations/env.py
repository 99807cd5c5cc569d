"""Alembic environment: the URL comes from minyi's settings unless the caller passes a connection."""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

from minyi.models import Base
from minyi.settings import get_settings

config = context.config
target_metadata = Base.metadata
SEARCH_TABLES = "case_search"  # the word-search index is raw SQL per dialect, not part of the models
JOB_TABLES = "procrastinate_"  # the job queue's tables are procrastinate's schema (PostgreSQL only)


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Leave the search index (and SQLite's FTS5 shadow tables) and the job queue out of autogenerate."""
    return not (type_ == "table" and name is not None and name.startswith((SEARCH_TABLES, JOB_TABLES)))


def run_offline() -> None:
    context.configure(
        url=get_settings().sqlalchemy_url, target_metadata=target_metadata, render_as_batch=True
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            include_name=include_name,
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    url = config.get_main_option("sqlalchemy.url") or get_settings().sqlalchemy_url
    engine = engine_from_config({"sqlalchemy.url": url}, prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as conn:
        context.configure(
            connection=conn, target_metadata=target_metadata, render_as_batch=True, include_name=include_name
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
