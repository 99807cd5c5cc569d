"""The weekly brief is self-contained HTML; the commands run on the small fixture files."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from minyi.insight.brief import brief_data, week_bounds
from minyi.insight.cli import register
from minyi.insight.readers import parse_local_time, read_messages
from minyi.web.rendering import render_document

FIX = Path(__file__).parents[2] / "fixtures" / "insight"


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def test_parse_local_time_is_china_time_in_utc() -> None:
    assert parse_local_time("2019/1/10 15:01:26") == datetime(2019, 1, 10, 7, 1, 26, tzinfo=UTC)
    assert parse_local_time("2019-08-19") == datetime(2019, 8, 18, 16, tzinfo=UTC)
    assert parse_local_time("bad") is None


def test_week_bounds_are_monday_to_monday_china_time() -> None:
    start, end = week_bounds("2019-W45")
    assert start == datetime(2019, 11, 3, 16, tzinfo=UTC) and (end - start).days == 7
    with pytest.raises(ValueError):
        week_bounds("2019-45")


def test_brief_is_self_contained_html() -> None:
    msgs = list(read_messages(FIX / "messages.csv"))
    replies = list(read_messages(FIX / "replies.csv"))
    html = render_document("insight/brief.html", {"b": brief_data("2019-W45", msgs, [], replies=replies)})
    assert html.lstrip().startswith("<!doctype html>") and "<svg" in html
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    for section in ("留言量与趋势", "热点问题", "预警", "超期办理", "部门评分", "最弱的答复"):
        assert section in html
    assert "丽发新城" in html or "魏家坡" in html
    english = render_document(
        "insight/brief.html", {"b": brief_data("2019-W45", msgs, [], replies=replies)}, "en"
    )
    assert '<html lang="en">' in english


def test_cli_hot_json_and_details(tmp_path: Path) -> None:
    details = tmp_path / "d.csv"
    r = CliRunner().invoke(
        _app(),
        [
            "hot",
            "--input",
            str(FIX / "messages.csv"),
            "--top",
            "2",
            "--format",
            "json",
            "--details",
            str(details),
        ],
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert len(data) == 2 and data[0]["rank"] == 1 and data[0]["count"] == 3
    rows = list(csv.DictReader(details.read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == 10 and {"issue", "id"} <= set(rows[0])


def test_cli_replies_csv_and_brief(tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    r = CliRunner().invoke(
        _app(),
        ["replies", "score", "--input", str(FIX / "replies.csv"), "--format", "csv", "--out", str(out)],
    )
    assert r.exit_code == 0, r.output
    rows = {row["id"]: row for row in csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines())}
    assert rows["101"]["complete"] == "1" and rows["101"]["explained"] == "1"
    assert rows["102"]["complete"] == "0" and rows["103"]["acknowledgement"] == "1"
    html = tmp_path / "b.html"
    r = CliRunner().invoke(
        _app(),
        [
            "brief",
            "--week",
            "2019-W45",
            "--input",
            str(FIX / "messages.csv"),
            "--replies",
            str(FIX / "replies.csv"),
            "--out",
            str(html),
            "--no-pdf",
        ],
    )
    assert r.exit_code == 0, r.output
    assert "热点周报" in html.read_text(encoding="utf-8")


def test_cli_alerts_runs_without_alerts() -> None:
    r = CliRunner().invoke(_app(), ["alerts", "--input", str(FIX / "messages.csv"), "--at", "2019-11-13"])
    assert r.exit_code == 0, r.output
