"""`minyi doctor` and `minyi calendar`: an installation checked, and a year's official schedule loaded."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from minyi.db import make_engine, reset_caches, session_factory
from minyi.deadlines.clock import calendar, forget_calendar
from minyi.doctor import check_calendar, check_database, check_secret
from minyi.settings import PLACEHOLDER_SECRET, Settings

FAR = datetime(2099, 6, 1, 2, tzinfo=UTC)  # a year no calendar library knows yet


def _use(monkeypatch: pytest.MonkeyPatch, engine: Engine) -> None:
    monkeypatch.setenv("MINYI_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    reset_caches()
    forget_calendar()


def test_doctor_passes_a_migrated_installation(
    sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use(monkeypatch, sqlite_engine)
    from minyi.cli import app

    out = CliRunner().invoke(app, ["doctor"])
    assert out.exit_code == 0, out.output
    assert "ok    database" in out.output and "secret" in out.output and "models" in out.output


def test_doctor_fails_on_a_database_that_is_not_migrated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use(monkeypatch, make_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}"))
    from minyi.cli import app

    out = CliRunner().invoke(app, ["doctor"])
    assert out.exit_code == 1 and "fail  database" in out.output


def test_doctor_refuses_the_placeholder_secret_outside_development() -> None:
    assert check_secret(Settings(env="development", secret_key=PLACEHOLDER_SECRET)).status == "warn"
    assert check_secret(Settings(env="staging", secret_key=PLACEHOLDER_SECRET)).status == "fail"


def test_doctor_fails_when_the_database_cannot_be_reached() -> None:
    gone = make_engine("postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2")
    assert check_database(gone).status == "fail"
    assert check_calendar(gone, FAR).status == "warn"  # the calendar is still checked, without the database


def test_a_loaded_schedule_covers_its_year_and_silences_the_calendar_warning(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use(monkeypatch, engine)
    assert check_calendar(engine, FAR).status == "warn"
    schedule = tmp_path / "2099.json"
    days = {"holidays": ["2099-01-01", "2099-01-02", "2100-01-01"], "workdays": ["2099-01-04"]}
    schedule.write_text(json.dumps(days), encoding="utf-8")
    from minyi.cli import app

    out = CliRunner().invoke(app, ["calendar", "load", str(schedule)])
    assert out.exit_code == 0, out.output
    assert "loaded 4 day(s) for 2099, 2100" in out.output
    assert check_calendar(engine, FAR).status == "ok"
    with session_factory(engine)() as s:
        cal = calendar(s)
        assert not cal.is_workday(datetime(2099, 1, 2).date()) and cal.is_workday(datetime(2099, 1, 4).date())


def test_loading_a_bad_schedule_file_says_why_and_writes_nothing(
    sqlite_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use(monkeypatch, sqlite_engine)
    bad = tmp_path / "bad.json"
    bad.write_text('{"holidays": ["2099-02-30"]}', encoding="utf-8")
    from minyi.cli import app

    out = CliRunner().invoke(app, ["calendar", "load", str(bad)])
    assert out.exit_code == 2 and "invalid schedule file" in out.output
    with session_factory(sqlite_engine)() as s:
        assert not calendar(s).covers(2099)
