"""`minyi backup` and `minyi restore`: a live database copied, restored into an empty one, the record intact."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from minyi.cases import actions as act
from minyi.cases.models import Case, CaseEvent
from minyi.db import make_engine, reset_caches
from tests.support.factories import make_org, submit


def _empty_database(engine: Engine, tmp_path: Path) -> Iterator[Engine]:
    """An empty database of the same kind as `engine` (PostgreSQL: a new database in the same cluster)."""
    if engine.dialect.name == "sqlite":
        target = make_engine(f"sqlite:///{tmp_path / 'restored.sqlite3'}")
        yield target
        target.dispose()
        return
    name = f"restored_{uuid.uuid4().hex[:8]}"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    target = make_engine(engine.url.set(database=name).render_as_string(hide_password=False))
    yield target
    target.dispose()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))


@pytest.fixture
def empty(engine: Engine, tmp_path: Path) -> Iterator[Engine]:
    yield from _empty_database(engine, tmp_path)


def _cli(monkeypatch: pytest.MonkeyPatch, engine: Engine, *args: str) -> tuple[int, str]:
    from minyi.cli import app

    monkeypatch.setenv("MINYI_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    reset_caches()
    try:
        out = CliRunner().invoke(app, list(args))
    finally:
        reset_caches()
    return out.exit_code, out.output


def test_backup_restores_into_an_empty_database_with_the_record_intact(
    engine: Engine, session: Session, empty: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = make_org(session)
    for i in range(3):
        case = submit(session, title=f"路灯不亮 第{i}件")
        act.do_accept(session, case, org.actor("intake"))
    events = session.scalar(select(func.count()).select_from(CaseEvent))
    file = tmp_path / "minyi.backup"

    code, out = _cli(monkeypatch, engine, "backup", str(file))
    assert code == 0, out
    assert file.is_file() and not file.with_name(file.name + ".partial").exists()

    code, out = _cli(monkeypatch, empty, "restore", str(file))
    assert code == 0, out
    with Session(empty) as restored:
        assert restored.scalar(select(func.count()).select_from(Case)) == 3
        assert restored.scalar(select(func.count()).select_from(CaseEvent)) == events
    code, out = _cli(monkeypatch, empty, "audit", "verify")
    assert code == 0, out
    assert "audit record intact" in out


def test_restore_refuses_a_database_that_is_not_empty(
    engine: Engine, session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_org(session)
    submit(session)
    file = tmp_path / "minyi.backup"
    assert _cli(monkeypatch, engine, "backup", str(file))[0] == 0
    code, out = _cli(monkeypatch, engine, "restore", str(file))
    assert code == 2 and "not empty" in out
    assert session.scalar(select(func.count()).select_from(Case)) == 1  # nothing touched


def test_restore_refuses_a_file_that_is_not_a_backup(
    engine: Engine, empty: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "notes.txt"
    file.write_text("not a backup")
    code, out = _cli(monkeypatch, empty, "restore", str(file))
    assert code == 2 and "not" in out
    code, out = _cli(monkeypatch, empty, "restore", str(tmp_path / "missing"))
    assert code == 2 and "no such backup file" in out
