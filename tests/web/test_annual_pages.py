"""The public pages of the annual and department reports: figures, charts served locally, both languages,
and answers like missing ones for what does not exist."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from minyi.db import reset_caches, session_factory
from minyi.portal import queries
from tests.support.factories import Org, submit

AT = datetime(2026, 4, 2, 3, 0, tzinfo=UTC)


@pytest.fixture
def year_of_cases(sqlite_engine: Engine, org: Org) -> None:
    queries._CACHE.clear()
    with session_factory(sqlite_engine)() as s:
        for channel in ("web", "hotline", "hotline"):
            submit(s, now=AT, channel=channel)


def test_the_annual_report_shows_the_year_with_charts_from_local_scripts(
    client: TestClient, year_of_cases: None
) -> None:
    page = client.get("/annual-report/2026")
    assert page.status_code == 200
    assert "2026年政务公开年度报告" in page.text and "12345热线" in page.text
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page.text  # drawn on the server
    assert 'src="/static/vendor/echarts/echarts.common.min.js"' in page.text and "//cdn" not in page.text
    assert client.get("/static/js/report-charts.js").status_code == 200
    assert "/annual-report/2026/departments/housing" in page.text
    assert "/report.pdf" not in page.text  # nothing printed yet
    english = client.get("/annual-report/2026?lang=en")
    assert "Openness annual report 2026" in english.text and "Demands received per month" in english.text


def test_a_department_report_and_what_is_not_found(client: TestClient, year_of_cases: None) -> None:
    page = client.get("/annual-report/2026/departments/housing")
    assert page.status_code == 200 and "住建局2026年度述职报告" in page.text
    missing = client.get("/annual-report/2026/departments/nowhere")
    future = client.get("/annual-report/2999")
    assert missing.status_code == future.status_code == 404
    assert client.get("/annual-report/2026/departments/..%2F..%2Fetc").status_code in (404, 422)
    assert client.get("/annual-report/2026/report.pdf").status_code == 404
    assert client.get("/annual-report", follow_redirects=False).status_code == 303


def test_a_printed_report_is_linked_and_served(
    client: TestClient, year_of_cases: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MINYI_DATA_DIR", str(tmp_path))
    reset_caches()
    folder = tmp_path / "annual-reports"
    folder.mkdir()
    (folder / "department-housing-2026.pdf").write_bytes(b"%PDF-1.4 test")
    printed = {"fingerprint": "0" * 64, "generated_at": "2026-05-01T02:30:00+00:00"}  # the schedule's record
    (folder / "fingerprints.json").write_text(
        json.dumps({"department-housing-2026": printed}), encoding="utf-8"
    )
    page = client.get("/annual-report/2026/departments/housing")
    assert 'href="/annual-report/2026/departments/housing/report.pdf"' in page.text
    assert "生成于 2026-05-01 10:30" in page.text  # when it was printed, in Beijing time
    pdf = client.get("/annual-report/2026/departments/housing/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"


def test_a_report_is_kept_a_while_and_dropped_with_the_other_caches(
    client: TestClient, sqlite_engine: Engine, org: Org
) -> None:
    queries._CACHE.clear()
    assert "<b>0</b>" in client.get("/annual-report/2026").text.split("收到诉求")[0][-20:]
    with session_factory(sqlite_engine)() as s:
        submit(s, now=AT)
    assert "<b>0</b>" in client.get("/annual-report/2026").text.split("收到诉求")[0][-20:]  # the year is read
    reset_caches()  # at most every five minutes
    queries._CACHE.clear()
    assert "<b>1</b>" in client.get("/annual-report/2026").text.split("收到诉求")[0][-20:]
