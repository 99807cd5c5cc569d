"""Every step on an inspection round, declared once: its input, its do_* function, who may take it.

The JSON API generates one route per command and the workbench page runs the same command from its form, both
through `execute`; who may take a step, and in which stage, is the pure table `rules.STEPS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.errors import Conflict, NotPermitted
from minyi.inspection import actions as act
from minyi.inspection.models import InspectionRound
from minyi.inspection.queries import access_round_by_id, parties
from minyi.inspection.rules import STEPS, may_take
from minyi.inspection.schemas import (
    ClueIn,
    DecisionIn,
    FindingsIn,
    HandOnIn,
    ItemIn,
    LetterIn,
    NothingIn,
    ProgressIn,
    ReleaseIn,
)
from minyi.uow import write


@dataclass(frozen=True)
class RoundCommand:
    """One step: where the API takes it, what it takes, what it runs."""

    name: str
    path: str
    schema: type[BaseModel]
    run: Callable[[Session, InspectionRound, Actor, Any], object]
    summary: str


COMMANDS: dict[str, RoundCommand] = {c.name: c for c in [
    RoundCommand("register_call", "calls", LetterIn, lambda s, r, a, b: act.do_register_call(s, a, r, b),
                 "来电登记 an operator registers a call to the round's line"),
    RoundCommand("release_letter", "letters/release", ReleaseIn,
                 lambda s, r, a, b: act.do_release_letter(s, a, r, b),
                 "放行来信 a team member releases a letter held past the round's cap"),
    RoundCommand("mark_clue", "clues", ClueIn, lambda s, r, a, b: act.do_mark_clue(s, a, r, b),
                 "问题线索 the team marks a problem clue"),
    RoundCommand("hand_on_clue", "clues/handover", HandOnIn, lambda s, r, a, b: act.do_hand_on_clue(s, a, r, b),
                 "线索移交 hand a clue on to the inspectors or another organ"),
    RoundCommand("give_findings", "findings", FindingsIn, lambda s, r, a, b: act.do_give_findings(s, a, r, b),
                 "反馈意见 the findings and the rectification list"),
    RoundCommand("add_item", "items", ItemIn, lambda s, r, a, b: act.do_add_item(s, a, r, b),
                 "整改事项 one more item on the rectification list"),
    RoundCommand("report_progress", "items/progress", ProgressIn,
                 lambda s, r, a, b: act.do_report_progress(s, a, r, b),
                 "整改进展 the responsible unit reports on an item with evidence"),
    RoundCommand("decide_item", "items/decision", DecisionIn, lambda s, r, a, b: act.do_decide_item(s, a, r, b),
                 "整改验收 the team accepts or rejects an item's completion, with a reason"),
    RoundCommand("publish_report", "report", NothingIn, lambda s, r, a, b: act.do_publish_report(s, a, r, b),
                 "整改情况通报 publish the rectification report after the deadline"),
]}  # fmt: skip


def _check(
    session: Session, rnd: InspectionRound, actor: Actor, name: str, expected_version: int | None
) -> None:
    if expected_version is not None and expected_version != rnd.version:
        raise Conflict(
            "该巡视已被他人修改，请刷新后重试", "the round changed since you loaded it", field="version"
        )
    if not may_take(name, rnd.stage, parties(session, actor, rnd)):
        raise NotPermitted("当前角色或阶段不能进行此操作", f"you may not take the step {name} now")


def execute(session: Session, actor: Actor, round_id: int, command: RoundCommand, body: BaseModel,
            *, expected_version: int | None = None) -> InspectionRound:  # fmt: skip
    """Run one step: every check that can refuse it first, then one unit of work on the locked round."""
    _check(session, access_round_by_id(session, round_id), actor, command.name, expected_version)
    with write(session, actor):
        rnd = access_round_by_id(session, round_id, for_update=True)
        _check(session, rnd, actor, command.name, expected_version)
        command.run(session, rnd, actor, body)
    return rnd


def allowed_steps(session: Session, actor: Actor, rnd: InspectionRound) -> set[str]:
    """The steps this actor may take on this round now (the page shows forms for these)."""
    mine = parties(session, actor, rnd)
    return {name for name in COMMANDS if may_take(name, rnd.stage, mine)}


assert set(COMMANDS) == set(STEPS)
