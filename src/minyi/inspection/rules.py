"""The pure rules of an inspection round: its stages, who takes which step, the rectification ladder. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from minyi.locale import pick


class Stage(StrEnum):
    inspecting = "inspecting"  # the team is in the unit; the mailbox and the line are open in the window
    rectifying = "rectifying"  # findings given; the unit works through the rectification list
    published = "published"  # the public rectification report is out


class ItemStatus(StrEnum):
    open = "open"
    reported = "reported"  # the unit says the item is done, awaiting the team
    accepted = "accepted"
    rejected = "rejected"  # the team sent it back with a reason; the unit reports again


class Party(StrEnum):
    """How an actor stands to a round (computed from `minyi.access`)."""

    team = "team"
    unit = "unit"  # staff of a unit responsible for rectification
    intake = "intake"  # may register calls to the round's line


@dataclass(frozen=True)
class Step:
    """Who may take a step, and in which stages of the round."""

    parties: frozenset[Party]
    stages: frozenset[Stage]


_T, _U = frozenset({Party.team}), frozenset({Party.unit})
STEPS: dict[str, Step] = {
    "register_call": Step(frozenset({Party.team, Party.intake}), frozenset({Stage.inspecting})),
    "release_letter": Step(_T, frozenset({Stage.inspecting, Stage.rectifying})),
    "mark_clue": Step(_T, frozenset({Stage.inspecting, Stage.rectifying})),
    "hand_on_clue": Step(_T, frozenset({Stage.inspecting, Stage.rectifying})),
    "give_findings": Step(_T, frozenset({Stage.inspecting})),
    "add_item": Step(_T, frozenset({Stage.rectifying})),
    "report_progress": Step(_U, frozenset({Stage.rectifying})),
    "decide_item": Step(_T, frozenset({Stage.rectifying})),
    "publish_report": Step(_T, frozenset({Stage.rectifying})),
}

STAGE_ZH = {"inspecting": "巡视进驻中", "rectifying": "整改中", "published": "整改情况已通报"}
STAGE_EN = {
    "inspecting": "inspection under way",
    "rectifying": "rectification",
    "published": "report published",
}
ITEM_ZH = {"open": "整改中", "reported": "待验收", "accepted": "已完成", "rejected": "未通过验收"}
ITEM_EN = {
    "open": "in progress",
    "reported": "awaiting acceptance",
    "accepted": "completed",
    "rejected": "not accepted",
}
# how many working days before its deadline an unfinished item is reminded (催办)
REMIND_WORKDAYS = 3


def stage_label(stage: str) -> str:
    return pick(STAGE_ZH.get(stage, stage), STAGE_EN.get(stage, stage))


def item_label(status: str) -> str:
    return pick(ITEM_ZH.get(status, status), ITEM_EN.get(status, status))


def may_take(step: str, stage: str, parties: frozenset[Party]) -> bool:
    """Whether someone standing as `parties` to a round in `stage` may take `step`."""
    rule = STEPS[step]
    return Stage(stage) in rule.stages and bool(rule.parties & parties)


def mailbox_open(stage: str, starts_on: date, ends_on: date, today: date) -> bool:
    """The public mailbox takes letters while the team is in the unit, within its window."""
    return stage == Stage.inspecting and starts_on <= today <= ends_on


def item_done(status: str) -> bool:
    return status == ItemStatus.accepted


def may_report(status: str) -> bool:
    """The unit reports progress on an item until the team has accepted it."""
    return status != ItemStatus.accepted


def may_decide(status: str) -> bool:
    """The team accepts or rejects an item the unit has reported complete."""
    return status == ItemStatus.reported


def rung_due(status: str, due_on: date, today: date, workdays_left: int) -> int:
    """The ladder for an unfinished item: 1 = reminder (催办) before its deadline, 2 = notice (督办) after it."""
    if item_done(status):
        return 0
    if today > due_on:
        return 2
    if workdays_left <= REMIND_WORKDAYS:
        return 1
    return 0


def report_due(stage: str, rectification_due: date | None, today: date) -> bool:
    """The public rectification report (整改情况通报) is due once the last item's deadline has passed."""
    return stage == Stage.rectifying and rectification_due is not None and today > rectification_due


def window_valid(starts_on: date, ends_on: date) -> bool:
    return starts_on <= ends_on and (ends_on - starts_on).days <= 366


def rectification_window(ends_on: date, due_on: date) -> bool:
    """An item's deadline falls after the round's window, and within three years of it."""
    return ends_on < due_on and (due_on - ends_on).days <= 1100
