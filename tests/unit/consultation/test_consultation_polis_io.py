"""Polis open-data exports: read, write, read again; bad files get a clear error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from minyi.consultation.polis_io import PolisFormatError, read_polis_export, write_polis_export

SMALL = Path(__file__).parents[2] / "fixtures" / "polis" / "small"


def test_reading_the_fixture() -> None:
    export = read_polis_export(SMALL)
    assert [c.id for c in export.comments] == ["0", "1", "2", "3", "4", "5"]
    assert export.comments[5].moderated == -1 and export.comments[0].created.tzinfo is not None
    assert len(export.votes) == 100 and export.participants == tuple(str(p) for p in range(18))
    assert export.groups["0"] == "0" and export.groups["8"] == "1" and export.groups["16"] == ""
    matrix = export.vote_matrix()
    assert matrix.shape == (18, 6) and matrix.excluded == frozenset({5})
    assert matrix.dense()[0, 0] == 1  # participant 0 changed their vote on statement 0: the last counts


def test_round_trip_keeps_statements_votes_and_groups(tmp_path: Path) -> None:
    export = read_polis_export(SMALL)
    write_polis_export(export, tmp_path / "out")
    again = read_polis_export(tmp_path / "out")
    assert again == export
    for name in ("comments.csv", "participants-votes.csv"):  # Polis's own files come back byte for byte
        assert (tmp_path / "out" / name).read_text() == (SMALL / name).read_text()


def test_writing_our_groups_into_the_group_column(tmp_path: Path) -> None:
    export = read_polis_export(SMALL)
    write_polis_export(export, tmp_path, groups={"0": 1, "16": None})
    again = read_polis_export(tmp_path)
    assert again.groups["0"] == "1" and again.groups["16"] == "" and again.groups["8"] == ""


def test_without_votes_csv_the_last_votes_come_from_participants_votes(tmp_path: Path) -> None:
    for name in ("comments.csv", "participants-votes.csv"):
        shutil.copy(SMALL / name, tmp_path / name)
    only_last = read_polis_export(tmp_path).vote_matrix()
    full = read_polis_export(SMALL).vote_matrix()
    assert sorted(zip(only_last.rows, only_last.cols, only_last.values, strict=True)) == sorted(
        zip(full.rows, full.cols, full.values, strict=True)
    )


@pytest.mark.parametrize(
    ("file", "text", "code", "field"),
    [
        ("votes.csv", "timestamp,comment-id,voter-id\n1,0,0\n", "missing_column", "votes.csv"),
        (
            "votes.csv",
            "timestamp,comment-id,voter-id,vote\n1,0,0,1\n2,0,1,3\n",
            "invalid_vote",
            "votes.csv:3",
        ),
        ("votes.csv", "timestamp,comment-id,voter-id,vote\nx,0,0,1\n", "not_a_number", "votes.csv:2"),
    ],
)
def test_bad_files_are_refused_with_the_place(
    tmp_path: Path, file: str, text: str, code: str, field: str
) -> None:
    shutil.copy(SMALL / "comments.csv", tmp_path / "comments.csv")
    (tmp_path / file).write_text(text)
    with pytest.raises(PolisFormatError) as err:
        read_polis_export(tmp_path)
    assert err.value.code == code and err.value.field == field
    assert err.value.message_zh and err.value.message_en and err.value.body()["error"]["field"] == field


def test_a_missing_export_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PolisFormatError) as err:
        read_polis_export(tmp_path)
    assert err.value.code == "missing_file" and err.value.field == "comments.csv"
