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


def test_retrain_urgency_records_a_version_that_history_lists(cli_env: Engine, tmp_path: Path) -> None:
    data = tmp_path / "base.csv"
    rows = [f"{i},幸福路路灯不亮第{i}号,幸福路路灯不亮，希望处理,城乡建设" for i in range(20)]
    rows += [f"{i},燃气泄漏,居民家中燃气泄漏，请立即处理,城乡建设" for i in range(20, 30)]
    data.write_text("id,title,detail,label\n" + "\n".join(rows) + "\n", "utf-8")
    runner = CliRunner()
    done = runner.invoke(app, ["model", "retrain-urgency", "--data", str(data)])
    assert done.exit_code == 0, done.output
    assert (
        "held-out rows vs rules" in done.output and "kept the current model" in done.output
    )  # no corrections
    shown = runner.invoke(app, ["model", "history", "--kind", "urgency"])
    assert shown.exit_code == 0 and "* shipped" in shown.output and "urgency-" in shown.output
    assert registry.read("urgency")["active"] is None and registry.read()["versions"] == []
    assert runner.invoke(app, ["model", "history", "--kind", "nope"]).exit_code != 0
