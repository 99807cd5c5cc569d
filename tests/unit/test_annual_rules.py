"""The year as the city counts it, and the charts drawn on the server for the printed reports."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from minyi.annual.charts import Chart, hbar_chart
from minyi.annual.rules import month_edges, pct, rate, reportable_year, year_window

BEIJING = ZoneInfo("Asia/Shanghai")


def test_the_year_begins_at_midnight_in_beijing() -> None:
    start, end = year_window(2026, BEIJING)
    assert start == datetime(2025, 12, 31, 16, 0, tzinfo=UTC) and end == datetime(
        2026, 12, 31, 16, 0, tzinfo=UTC
    )
    edges = month_edges(2026, BEIJING)
    assert len(edges) == 13 and edges[0] == start and edges[-1] == end
    assert edges[2] == datetime(2026, 2, 28, 16, 0, tzinfo=UTC)  # 1 March, local


def test_only_years_that_have_begun_have_a_report() -> None:
    now = datetime(2025, 12, 31, 16, 30, tzinfo=UTC)  # already 2026 in Beijing
    assert reportable_year(2026, now, BEIJING) and not reportable_year(2027, now, BEIJING)
    assert not reportable_year(1999, now, BEIJING)


def test_rates_print_a_dash_where_nothing_was_counted() -> None:
    assert rate(0, 0) is None and pct(None) == "—" and pct(rate(3, 4)) == "75.0%"


def test_chart_labels_are_escaped_and_long_names_shortened() -> None:
    svg = hbar_chart(
        ["<script>alert(1)</script>", "市住房和城乡建设局城市管理综合执法支队"], [3, 1], title="a&b"
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "a&amp;b" in svg and "…" in svg
    chart = Chart("k", "各月", "column", ("1月", "2月"), (1.0, 2.0))
    assert chart.svg.startswith("<svg") and chart.spec["values"] == [1.0, 2.0]
