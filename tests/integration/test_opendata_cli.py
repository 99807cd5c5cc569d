"""The command line of the open-data slice: `minyi open311 key add NAME` (the key printed once, only its hash
kept), `minyi opendata export DIR`, `minyi opendata publish` (the copy served at /open-data/) and `remask`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from minyi.app import create_app
from minyi.cli import app
from minyi.db import make_engine, session_factory
from minyi.opendata.models import Open311Client
from minyi.opendata.rules import hash_key
from tests.support.clidb import cli_database


@pytest.fixture
def db(sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A migrated SQLite file that the commands use (through the environment)."""
    return cli_database(sqlite_template, tmp_path, monkeypatch)


def test_key_add_prints_the_key_once(db: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(app, ["open311", "key", "add", "街坊通", "--rate-limit", "10"])
    assert first.exit_code == 0, first.output
    key = first.output.strip()
    again = runner.invoke(app, ["open311", "key", "add", "街坊通"])
    assert again.exit_code == 2 and key not in again.output
    with session_factory(make_engine(f"sqlite:///{db}"))() as s:
        client = s.scalar(select(Open311Client))
        assert client is not None and client.key_hash == hash_key(key) and client.rate_limit_per_hour == 10


def test_export_and_publish_then_serve(db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    exported = runner.invoke(app, ["opendata", "export", str(tmp_path / "out"), "--workers", "2"])
    assert exported.exit_code == 0, exported.output
    assert json.loads(exported.output)["cases"] == 0 and (tmp_path / "out" / "datapackage.json").is_file()
    client = TestClient(create_app(make_engine(f"sqlite:///{db}")))
    assert client.get("/open-data/").status_code == 404  # nothing published yet
    for _ in range(2):  # the job runs again over its own earlier copy
        published = runner.invoke(app, ["opendata", "publish", "--workers", "1"])
        assert published.exit_code == 0, published.output
    index = client.get("/open-data/")
    assert index.status_code == 200 and index.json()["licenses"][0]["name"] == "CC-BY-4.0"
    csv = client.get("/open-data/cases.csv")
    assert csv.status_code == 200 and csv.text.startswith("id,kind,channel")
    parquet = client.get("/open-data/suggestion_answers.parquet")
    assert parquet.status_code == 200 and parquet.content[:4] == b"PAR1"
    rectification = client.get("/open-data/rectification_items.csv")
    assert rectification.status_code == 200 and rectification.text.startswith("round_id,number,problem")
    remasked = runner.invoke(app, ["opendata", "remask", "--all"])
    assert remasked.exit_code == 0 and json.loads(remasked.output) == {"replies": 0}, remasked.output
    assert client.get("/open-data/..%2Fcli.sqlite3").status_code == 404
    assert client.get("/open-data/test.sqlite3").status_code == 404
