"""Fixtures and helpers of the page tests: a demo city built once, copied for each test; a signed-in client."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session

from minyi.accounts.models import User
from minyi.app import create_app
from minyi.cases.models import Case
from minyi.db import make_engine, session_factory
from minyi.demo.load import DEMO_PASSWORD, load_demo
from tests.support.tamper import arrange

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="session")
def demo_template(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file holding the demo city with 60 cases in every state."""
    path = tmp_path_factory.mktemp("pages") / "demo.sqlite3"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    load_demo(engine, n_cases=60, seed=7)
    engine.dispose()
    return path


@pytest.fixture
def demo_engine(demo_template: Path, tmp_path: Path) -> Iterator[Engine]:
    """A private copy of the demo database for one test."""
    path = tmp_path / "demo.sqlite3"
    shutil.copy(demo_template, path)
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


@pytest.fixture
def client(demo_engine: Engine) -> Iterator[TestClient]:
    """An anonymous browser on the app bound to the demo database."""
    with TestClient(create_app(demo_engine), base_url="http://testserver") as c:
        yield c


@pytest.fixture
def db(demo_engine: Engine) -> Iterator[Session]:
    """A session on the same database, to look things up and arrange data."""
    with session_factory(demo_engine)() as s:
        yield s


def csrf_of(html: str) -> str:
    """The CSRF token a page's forms carry."""
    match = CSRF.search(html)
    assert match, "page has no CSRF field"
    return match.group(1)


def sign_in(client: TestClient, username: str, password: str = DEMO_PASSWORD) -> Any:
    """Sign in through the form, as a person would."""
    token = csrf_of(client.get("/staff/login").text)
    return client.post(
        "/staff/login",
        data={"username": username, "password": password, "csrf_token": token, "next": "/staff"},
        follow_redirects=False,
    )


def post_form(client: TestClient, page_url: str, action: str, data: dict[str, Any], **kw: Any) -> Any:
    """Load a page, take its CSRF token and post a form to `action`."""
    token = csrf_of(client.get(page_url).text)
    return client.post(action, data={**data, "csrf_token": token}, follow_redirects=False, **kw)


def find_case(db: Session, **where: Any) -> Case:
    """The first demo case matching column values."""
    stmt = select(Case).filter_by(**where).order_by(Case.id)
    case = db.scalar(stmt)
    assert case is not None, f"no demo case with {where}"
    arrange(db)  # end the read: SQLite transactions here take the write lock (BEGIN IMMEDIATE)
    return case


def user(db: Session, username: str) -> User:
    """A demo staff account."""
    found = db.scalar(select(User).where(User.username == username))
    assert found is not None
    arrange(db)
    return found


@contextmanager
def count_queries(engine: Engine) -> Iterator[list[str]]:
    """Record the SQL statements run while the block runs."""
    statements: list[str] = []

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if (
            not statement.lstrip()
            .upper()
            .startswith(("PRAGMA", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"))
        ):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)
