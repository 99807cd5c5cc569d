"""`minyi opinions import` and `export`: a Polis conversation in, the same format out, groups alike."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sklearn.metrics import adjusted_rand_score
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from minyi.cli import app
from minyi.consultation.models import Consultation, OpinionMap, Vote
from minyi.db import reset_caches, session_factory

SMALL = Path(__file__).parents[1] / "fixtures" / "polis" / "small"


def _groups(path: Path) -> list[str]:
    return [row["group-id"] for row in csv.DictReader(path.open(encoding="utf-8"))]


def test_a_polis_export_round_trips_through_a_closed_consultation(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MINYI_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    reset_caches()
    runner = CliRunner()
    result = runner.invoke(app, ["opinions", "import", str(SMALL), "--title", "小区公园改造"])
    assert result.exit_code == 0, result.output
    with session_factory(engine)() as s:
        c = s.scalars(select(Consultation)).one()
        assert (c.state, c.source) == ("closed", "polis")
        assert s.scalar(select(func.count()).select_from(Vote)) > 0
        assert len(s.get(OpinionMap, c.id).data["groups"]) == 2  # type: ignore[union-attr]
        cid = c.id
    out = tmp_path / "out"
    result = runner.invoke(app, ["opinions", "export", str(cid), str(out)])
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} == {"comments.csv", "votes.csv", "participants-votes.csv"}
    theirs, ours = _groups(SMALL / "participants-votes.csv"), _groups(out / "participants-votes.csv")
    assert len(ours) == len(theirs)
    counted = [i for i, g in enumerate(theirs) if g != ""]
    assert adjusted_rand_score([theirs[i] for i in counted], [ours[i] for i in counted]) == 1.0
    assert runner.invoke(app, ["opinions", "export", "999", str(out)]).exit_code == 2
