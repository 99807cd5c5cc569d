"""The reports' ladder with plain data: which rung is due, and when a stage stops."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from minyi.reports.rules import ACKNOWLEDGE, CONCLUDE, ReportClock, notices_due

T0 = datetime(2026, 12, 1, 2, tzinfo=UTC)
CLOCKS = [ReportClock(ACKNOWLEDGE, T0 + timedelta(days=10), T0 + timedelta(days=15)),
          ReportClock(CONCLUDE, T0 + timedelta(days=80), T0 + timedelta(days=90))]  # fmt: skip


def test_a_reminder_from_its_instant_and_a_supervision_notice_only_after_the_deadline() -> None:
    assert notices_due(T0, "received", CLOCKS, set()) == []
    assert notices_due(T0 + timedelta(days=10), "received", CLOCKS, set()) == [(ACKNOWLEDGE, 1)]
    assert notices_due(T0 + timedelta(days=15), "received", CLOCKS, set()) == [(ACKNOWLEDGE, 1)]
    assert notices_due(T0 + timedelta(days=16), "received", CLOCKS, {(ACKNOWLEDGE, 1)}) == [(ACKNOWLEDGE, 2)]


def test_a_report_taken_up_or_concluded_stops_its_clocks() -> None:
    late = T0 + timedelta(days=100)
    assert notices_due(late, "verifying", CLOCKS, set()) == [(CONCLUDE, 1), (CONCLUDE, 2)]
    assert notices_due(late, "concluded", CLOCKS, set()) == []
