"""Shared fixtures: databases (SQLite and a throwaway PostgreSQL), the app, staff tokens, factories."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

os.environ.setdefault("MINYI_ENV", "test")
os.environ.setdefault("MINYI_SECRET_KEY", "test-secret")
# Never the checkout's data/ (where `make run` keeps its database, uploads and printed report PDFs, which a test of
# "nothing printed yet" would then find): a throwaway folder for the whole run, whatever the shell had set.
_TEST_DATA = tempfile.mkdtemp(prefix="minyi-test-data-")
os.environ["MINYI_DATA_DIR"] = _TEST_DATA
atexit.register(shutil.rmtree, _TEST_DATA, True)

from minyi.db import Base, make_engine, reset_caches, session_factory  # noqa: E402
from minyi.migrate import upgrade  # noqa: E402
from minyi.models import Base as _AllTables  # noqa: E402, F401 - every table registered
from tests.support.fastroutes import share_route_state  # noqa: E402
from tests.support.pgreset import empty_tables  # noqa: E402
from tests.support.pgserver import find_pg_bin, pg_cluster, start_replica  # noqa: E402


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test."""
    path = tmp_path_factory.mktemp("tpl") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A migrated PostgreSQL database for the whole session (tables emptied between tests)."""
    if find_pg_bin() is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL server binaries are required in CI")
        pytest.skip("PostgreSQL server binaries not installed")
    with pg_cluster() as url:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url


@pytest.fixture(scope="session")
def pg_replica_url(pg_url: str) -> str:
    """A streaming replica of the session's PostgreSQL (pg_basebackup -R), started on first use."""
    return start_replica(pg_url)


def _sqlite_engine(template: Path, tmp_path: Path) -> Engine:
    path = tmp_path / "test.sqlite3"
    shutil.copy(template, path)
    return make_engine(f"sqlite:///{path}")


def _truncate(engine: Engine) -> None:
    """Empty every table of the models (as TRUNCATE ... RESTART IDENTITY CASCADE would, in milliseconds)."""
    empty_tables(engine, [t.name for t in Base.metadata.sorted_tables])


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, sqlite_template: Path, tmp_path: Path) -> Iterator[Engine]:
    """A fresh, migrated database: each test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        eng = _sqlite_engine(sqlite_template, tmp_path)
    else:
        eng = make_engine(request.getfixturevalue("pg_url"))
        _truncate(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def sqlite_engine(sqlite_template: Path, tmp_path: Path) -> Iterator[Engine]:
    """A fresh SQLite database only (for HTTP tests that need no second run on PostgreSQL)."""
    eng = _sqlite_engine(sqlite_template, tmp_path)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with session_factory(engine)() as s:
        yield s


@pytest.fixture(autouse=True)
def _fresh_settings() -> Iterator[None]:
    reset_caches()
    yield
    reset_caches()


def pytest_configure(config: pytest.Config) -> None:
    share_route_state()  # FastAPI's per-app route state built once per process, not once per test's app
