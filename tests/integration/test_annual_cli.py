"""`minyi report annual` and `minyi report department`: the document and its PDF printed by the system Chromium
(through Playwright, nothing fetched), then linked and served by the report pages."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from minyi.annual import schedule
from minyi.annual.publish import print_pdf
from minyi.app import create_app
from minyi.cli import app
from minyi.db import make_engine, reset_caches, session_factory
from minyi.settings import get_settings
from tests.support.clidb import cli_database
from tests.support.factories import make_org, submit


@pytest.fixture
def db(sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A migrated SQLite file with a small city and one demand, used by the commands through the environment."""
    path = cli_database(sqlite_template, tmp_path, monkeypatch)
    with session_factory(make_engine(f"sqlite:///{path}"))() as s:
        make_org(s)
        submit(s)
    return path


def test_refusals_name_what_is_wrong(db: Path) -> None:
    runner = CliRunner()
    unknown = runner.invoke(app, ["report", "department", "nowhere", "--year", "2026", "--no-pdf"])
    future = runner.invoke(app, ["report", "annual", "--year", "2999", "--no-pdf"])
    assert unknown.exit_code == future.exit_code == 2
    assert "department" in unknown.output and "2999" in future.output


def test_regenerate_says_when_nothing_can_print(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MINYI_CHROMIUM", "/nonexistent/chromium")
    reset_caches()
    done = CliRunner().invoke(app, ["report", "regenerate"])
    assert done.exit_code == 3 and "MINYI_CHROMIUM" in done.output
    assert schedule.read_fingerprints() == {}  # nothing recorded as printed


def test_the_html_document_stands_alone(db: Path, tmp_path: Path) -> None:
    done = CliRunner().invoke(
        app, ["report", "annual", "--year", "2026", "--no-pdf", "--out", str(tmp_path / "o")]
    )
    assert done.exit_code == 0, done.output
    html = (tmp_path / "o" / "annual-2026.html").read_text(encoding="utf-8")
    assert "2026年政务公开年度报告" in html and "<svg" in html
    assert "<script src" not in html and "<link" not in html  # nothing to fetch when printed


@pytest.mark.skipif(not get_settings().chromium.exists(), reason="no system Chromium to print with")
def test_a_department_report_is_printed_and_then_served(db: Path) -> None:
    done = CliRunner().invoke(app, ["report", "department", "housing", "--year", "2026"])
    assert done.exit_code == 0, done.output
    pdf = get_settings().data_dir / "annual-reports" / "department-housing-2026.pdf"
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000
    client = TestClient(create_app(make_engine(f"sqlite:///{db}")))
    served = client.get("/annual-report/2026/departments/housing/report.pdf")
    assert served.status_code == 200 and served.content == pdf.read_bytes()


@pytest.mark.skipif(not get_settings().chromium.exists(), reason="no system Chromium to print with")
def test_printing_works_where_an_event_loop_runs() -> None:
    async def inside_a_loop() -> bytes:  # as under another Playwright session, or an async caller
        return print_pdf("<!doctype html><html lang='zh-CN'><body><h1>年度报告</h1></body></html>")

    with ThreadPoolExecutor(max_workers=1) as pool:  # a thread of the test's own, whatever runs in this one
        printed = pool.submit(asyncio.run, inside_a_loop()).result(timeout=300)
    assert printed.startswith(b"%PDF")
