"""Every step on an accountability record, declared once: input, do_* function, who may take it (`rules.STEPS`).

The JSON API generates one route per command and the workbench page runs the same command, through `execute`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from minyi.accountability import actions as act
from minyi.accountability.models import AccountabilityRecord
from minyi.accountability.queries import access_record
from minyi.accountability.rules import STEPS, may_take
from minyi.accountability.schemas import DecisionIn, ResponseIn
from minyi.accounts.actor import Actor
from minyi.errors import Conflict, NotPermitted
from minyi.uow import write


@dataclass(frozen=True)
class RecordCommand:
    name: str
    path: str
    schema: type[BaseModel]
    run: Callable[[Session, AccountabilityRecord, Actor, Any], object]
    summary: str


COMMANDS: dict[str, RecordCommand] = {c.name: c for c in [
    RecordCommand("respond", "response", ResponseIn, lambda s, r, a, b: act.do_respond(s, a, r, b),
                  "申辩 the unit's head answers the record"),
    RecordCommand("decide", "decision", DecisionIn, lambda s, r, a, b: act.do_decide(s, a, r, b),
                  "问责决定 the decision, its form, and whether it is published"),
]}  # fmt: skip


def _check(record: AccountabilityRecord, actor: Actor, name: str, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != record.version:
        raise Conflict(
            "该记录已被他人修改，请刷新后重试", "the record changed since you loaded it", field="version"
        )
    own = actor.department_id is not None and actor.department_id == record.unit_id
    if not may_take(name, record.status, actor.role, own_unit=own):
        raise NotPermitted("当前角色或状态不能进行此操作", f"you may not take the step {name} now")


def execute(session: Session, actor: Actor, record_id: int, command: RecordCommand, body: BaseModel,
            *, expected_version: int | None = None) -> AccountabilityRecord:  # fmt: skip
    """Run one step: every check that can refuse it first, then one unit of work on the locked record."""
    _check(access_record(session, actor, record_id), actor, command.name, expected_version)
    with write(session, actor):
        record = access_record(session, actor, record_id, for_update=True)
        _check(record, actor, command.name, expected_version)
        command.run(session, record, actor, body)
    return record


def allowed_steps(actor: Actor, record: AccountabilityRecord) -> set[str]:
    own = actor.department_id is not None and actor.department_id == record.unit_id
    return {n for n in COMMANDS if may_take(n, record.status, actor.role, own_unit=own)}


assert set(COMMANDS) == set(STEPS)
