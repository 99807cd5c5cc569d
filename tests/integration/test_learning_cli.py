"""`minyi model history | rollback | routing` on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from minyi.audit.models import AuditEntry
from minyi.cli import app
from minyi.db import reset_caches, session_factory
from minyi.nlp import registry


@pytest.fixture
def cli_env(sqlite_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Engine:
    monkeypatch.setenv("MINYI_DATABASE_URL", sqlite_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("MINYI_DATA_DIR", str(tmp_path))
    reset_caches()
    return sqlite_engine


def test_history_lists_the_shipped_model_and_rollback_refuses_an_unknown_version(cli_env: Engine) -> None:
    runner = CliRunner()
    shown = runner.invoke(app, ["model", "history"])
    assert shown.exit_code == 0 and "* shipped" in shown.output
    refused = runner.invoke(app, ["model", "rollback", "topic-nope"])
    assert refused.exit_code != 0 and registry.read()["active"] is None
    done = runner.invoke(app, ["model", "rollback", "shipped", "--reason", "check"])
    assert done.exit_code == 0
    with session_factory(cli_env)() as s:
        assert s.scalars(select(AuditEntry.action).where(AuditEntry.action.like("model.%"))).all() == [
            "model.rollback"
        ]
    report = runner.invoke(app, ["model", "routing"])
    assert report.exit_code == 0 and json.loads(report.output)["assigned_cases"] == 0
