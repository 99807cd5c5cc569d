"""`minyi opinions groups` on a small Polis export."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from sklearn.metrics import adjusted_rand_score
from typer.testing import CliRunner

from minyi.cli import app

SMALL = Path(__file__).parents[2] / "fixtures" / "polis" / "small"


def test_groups_prints_every_participant_and_agrees_with_polis() -> None:
    result = CliRunner().invoke(app, ["opinions", "groups", "--input", str(SMALL), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["participant"] for r in rows] == [str(p) for p in range(18)]
    assert rows[16]["group"] == "" and rows[17]["group"] == ""  # too few votes
    polis = [row["group-id"] for row in csv.DictReader((SMALL / "participants-votes.csv").open())][:16]
    assert adjusted_rand_score(polis, [r["group"] for r in rows[:16]]) == 1.0


def test_groups_as_json_names_the_statements() -> None:
    result = CliRunner().invoke(app, ["opinions", "groups", "-i", str(SMALL), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [g["size"] for g in data["groups"]] == [8, 8] and data["ungrouped"] == 2
    assert data["consensus"][0]["id"] == "4" and "公园" in data["consensus"][0]["text"]


def test_a_directory_without_an_export_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["opinions", "groups", "--input", str(tmp_path)])
    assert result.exit_code == 2
    assert "comments.csv" in result.output
