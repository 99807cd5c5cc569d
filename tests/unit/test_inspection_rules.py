"""The pure rules of an inspection round: who takes which step when, the mailbox window, the rectification ladder."""

from __future__ import annotations

from datetime import date, timedelta

from minyi.inspection.rules import Party, mailbox_open, may_take, rectification_window, report_due, rung_due

D = date(2026, 11, 30)


def test_steps_belong_to_their_party_and_stage() -> None:
    team, unit, intake = frozenset({Party.team}), frozenset({Party.unit}), frozenset({Party.intake})
    assert may_take("give_findings", "inspecting", team) and not may_take("give_findings", "rectifying", team)
    assert not may_take("give_findings", "inspecting", unit | intake)
    assert may_take("report_progress", "rectifying", unit) and not may_take(
        "report_progress", "rectifying", team
    )
    assert may_take("register_call", "inspecting", intake) and not may_take(
        "register_call", "rectifying", intake
    )
    assert not any(
        may_take(s, "published", team | unit | intake) for s in ("mark_clue", "decide_item", "add_item")
    )


def test_the_mailbox_window_and_the_rectification_ladder() -> None:
    assert mailbox_open("inspecting", D, D + timedelta(days=5), D) and not mailbox_open("rectifying", D, D, D)
    assert not mailbox_open("inspecting", D + timedelta(days=1), D + timedelta(days=5), D)
    assert rung_due("open", D + timedelta(days=30), D, 20) == 0
    assert rung_due("open", D + timedelta(days=3), D, 3) == 1
    assert (
        rung_due("rejected", D - timedelta(days=1), D, 0) == 2
        and rung_due("accepted", D - timedelta(days=1), D, 0) == 0
    )
    assert report_due("rectifying", D - timedelta(days=1), D) and not report_due("rectifying", D, D)
    assert rectification_window(D, D + timedelta(days=1)) and not rectification_window(D, D)
    assert not rectification_window(D, D + timedelta(days=2000))
