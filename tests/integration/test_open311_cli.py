"""`minyi open311 key add NAME` prints a key once and stores only its hash."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from minyi.cli import app
from minyi.db import make_engine, reset_caches, session_factory
from minyi.opendata.models import Open311Client
from minyi.opendata.rules import hash_key


def test_key_add_prints_the_key_once(
    sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "cli.sqlite3"
    db.write_bytes(sqlite_template.read_bytes())
    monkeypatch.setenv("MINYI_DATABASE_URL", f"sqlite:///{db}")
    reset_caches()
    runner = CliRunner()
    first = runner.invoke(app, ["open311", "key", "add", "街坊通", "--rate-limit", "10"])
    assert first.exit_code == 0, first.output
    key = first.output.strip()
    again = runner.invoke(app, ["open311", "key", "add", "街坊通"])
    assert again.exit_code == 2 and key not in again.output
    with session_factory(make_engine(f"sqlite:///{db}"))() as s:
        client = s.scalar(select(Open311Client))
        assert client is not None and client.key_hash == hash_key(key) and client.rate_limit_per_hour == 10
