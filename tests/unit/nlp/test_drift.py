"""Drift flags: a week whose triage share or mean confidence jumps from the weeks before it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from minyi.learning.drift import Week, flag_jumps

T0 = datetime(2026, 3, 2, tzinfo=UTC)


def _week(i: int, cases: int, triage: int, conf: float) -> Week:
    start = T0 + timedelta(days=7 * i)
    return Week(start, start + timedelta(days=7), cases, triage, conf * cases, cases)


def test_a_steady_stream_raises_no_flag() -> None:
    weeks = flag_jumps([_week(i, 100, 22 + (i % 3), 0.88) for i in range(8)])
    assert [w.flag for w in weeks] == [None] * 8


def test_a_jump_in_the_triage_share_is_flagged() -> None:
    weeks = flag_jumps([_week(i, 100, 22, 0.88) for i in range(6)] + [_week(6, 100, 45, 0.88)])
    assert [w.flag for w in weeks][-2:] == [None, "triage"]


def test_a_drop_in_confidence_is_flagged_and_a_small_week_is_not_judged() -> None:
    weeks = [_week(i, 100, 22, 0.88) for i in range(5)] + [_week(5, 100, 25, 0.70), _week(6, 5, 5, 0.2)]
    assert [w.flag for w in flag_jumps(weeks)][-2:] == ["confidence", None]
