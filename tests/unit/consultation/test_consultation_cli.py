"""`minyi opinions groups` on a small Polis export."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from sklearn.metrics import adjusted_rand_score
from typer.testing import CliRunner

from minyi.cli import app
from minyi.consultation.polis_io import PolisComment, PolisExport, PolisVote, write_polis_export

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


def test_groups_count_participants_as_the_slice_does(tmp_path: Path) -> None:
    # "early" voted on all five statements there were then: counted (Polis's rule, replayed over the votes' times),
    # though five votes are fewer than seven once five more statements were written
    comments = tuple(
        PolisComment(str(i), "0", f"s{i}", timestamp_ms=1_000 if i < 5 else 10_000) for i in range(10)
    )
    votes = [PolisVote(str(i), "early", 1 if i < 3 else -1, 2_000) for i in range(5)]
    for p in range(20):
        side = 1 if p < 10 else -1
        votes += [PolisVote(str(i), f"p{p}", side if i % 2 else -side, 20_000 + p) for i in range(10)]
    people = ("early", *(f"p{p}" for p in range(20)))
    write_polis_export(PolisExport(comments, tuple(votes), people), tmp_path)
    result = CliRunner().invoke(app, ["opinions", "groups", "--input", str(tmp_path), "--format", "csv"])
    assert result.exit_code == 0, result.output
    group = {row["participant"]: row["group"] for row in csv.DictReader(io.StringIO(result.stdout))}
    assert group["early"] != "" and len({group[f"p{p}"] for p in range(20)}) == 2
