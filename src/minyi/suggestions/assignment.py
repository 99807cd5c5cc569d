"""Writes of assignment (交办): lead, split (分办) and co-operating units, disputes, co-operating opinions.

The lead unit answers; each split unit answers its own part and the item is answered when every part is; a
co-operating unit may be asked for its opinion, and the lead unit cannot answer until the opinions asked for are
in or the office waives them, on the record. A unit disputes an assignment within the dispute window; the office
upholds it or gives the item to other units (the clock restarts).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.db import utcnow
from minyi.deadlines.clock import month_policy
from minyi.deadlines.months import check_answer_months, day_deadline, month_deadline
from minyi.departments.models import Department
from minyi.errors import InvalidInput, InvalidTransition
from minyi.suggestions.events import append_suggestion_event
from minyi.suggestions.models import Suggestion, SuggestionUnit
from minyi.suggestions.rules import CO, PART, SuggestionStatus, check_units_apart, unit_relation
from minyi.uow import case_action

S = SuggestionStatus


def event(session: Session, item: Suggestion, actor: Actor, action: str, to: str | None = None,
          note: str | None = None, data: dict[str, Any] | None = None) -> None:  # fmt: skip
    """Append the step to the item's record, moving it to `to` (None: it stays where it is)."""
    before = item.status
    if to is not None:
        item.status = to
    append_suggestion_event(session, item, actor, action, before, to or before, note=note, data=data)


def _check_units(session: Session, lead: int, co: list[int], parts: list[int]) -> tuple[list[int], list[int]]:
    parts = sorted(set(parts) - {lead})
    check_units_apart(lead, co, parts)
    co = sorted(set(co) - {lead})
    for dept_id in [lead, *parts, *co]:
        dept = session.get(Department, dept_id)
        if dept is None or not dept.active:
            raise InvalidInput("承办单位不存在或已停用", "unknown or inactive unit", field="lead_unit_id")
    return co, parts


def _give_to(
    session: Session, item: Suggestion, lead: int, co: list[int], parts: list[int], now: datetime
) -> None:
    policy = month_policy()
    session.execute(delete(SuggestionUnit).where(SuggestionUnit.suggestion_id == item.id))
    session.add_all(SuggestionUnit(suggestion_id=item.id, department_id=d, role=CO) for d in co)
    session.add_all(SuggestionUnit(suggestion_id=item.id, department_id=d, role=PART) for d in parts)
    item.lead_unit_id, item.assigned_at, item.months = lead, now, policy.answer_months
    item.due_at = month_deadline(now, policy.answer_months)
    item.dispute_until = day_deadline(now, policy.dispute_days)


@case_action
def do_assign(session: Session, item: Suggestion, actor: Actor, *, lead_unit_id: int, co_unit_ids: list[int],
              part_unit_ids: list[int] | None = None, note: str | None = None,
              now: datetime | None = None) -> None:  # fmt: skip
    """交办 to a lead unit, split units (分办) and co-operating units: the calendar-month clock starts."""
    co, parts = _check_units(session, lead_unit_id, co_unit_ids, part_unit_ids or [])
    _give_to(session, item, lead_unit_id, co, parts, now or utcnow())
    event(session, item, actor, "assign", S.assigned, note=note,
          data={"lead_unit_id": lead_unit_id, "co": co, "parts": parts,
                "due_at": item.due_at.isoformat() if item.due_at else None})  # fmt: skip


def _units(session: Session, item: Suggestion) -> dict[int, SuggestionUnit]:
    rows = session.scalars(select(SuggestionUnit).where(SuggestionUnit.suggestion_id == item.id))
    return {u.department_id: u for u in rows}


@case_action
def do_dispute(
    session: Session, item: Suggestion, actor: Actor, *, reason: str, now: datetime | None = None
) -> None:
    """交办异议: a unit of the item says it is not theirs, within the dispute window; the office decides."""
    if item.dispute_until is not None and (now or utcnow()) > item.dispute_until:
        raise InvalidTransition("已超过交办异议期限", "the time to dispute the assignment has passed",
                                field="dispute_until")  # fmt: skip
    roles = {d: u.role for d, u in _units(session, item).items()}
    unit = unit_relation(actor.department_id, item.lead_unit_id, roles)
    event(session, item, actor, "dispute", S.disputed, note=reason,
          data={"unit_id": actor.department_id, "as": unit})  # fmt: skip


@case_action
def do_decide_dispute(session: Session, item: Suggestion, actor: Actor, *, uphold: bool, lead_unit_id: int | None,
                      co_unit_ids: list[int], part_unit_ids: list[int] | None = None,
                      note: str | None = None) -> None:  # fmt: skip
    """The office upholds the assignment (the clock runs on) or gives the item to other units (it restarts)."""
    if uphold:
        event(session, item, actor, "decide_dispute", S.assigned, note=note, data={"uphold": True})
        return
    if lead_unit_id is None:
        raise InvalidInput(
            "改办须指定新的主办单位", "reassigning needs a new lead unit", field="lead_unit_id"
        )
    co, parts = _check_units(session, lead_unit_id, co_unit_ids, part_unit_ids or [])
    _give_to(session, item, lead_unit_id, co, parts, utcnow())
    event(session, item, actor, "decide_dispute", S.assigned, note=note,
          data={"uphold": False, "lead_unit_id": lead_unit_id, "co": co, "parts": parts})  # fmt: skip


@case_action
def do_extend(session: Session, item: Suggestion, actor: Actor, *, months: int, reason: str) -> None:
    """延期: the office approves a longer answer period (three to six months from assignment)."""
    check_answer_months(months, month_policy())
    if item.assigned_at is None:
        raise InvalidTransition("尚未交办", "not assigned yet", field="status")
    item.months, item.due_at = months, month_deadline(item.assigned_at, months)
    event(session, item, actor, "extend", note=reason, data={"months": months})


@case_action
def do_request_opinions(session: Session, item: Suggestion, actor: Actor, *, unit_ids: list[int],
                        note: str | None = None, now: datetime | None = None) -> None:  # fmt: skip
    """征求协办意见: the lead unit (or the office) asks co-operating units for their opinion (none named: all)."""
    co = {d: u for d, u in _units(session, item).items() if u.role == CO}
    asked = sorted(set(unit_ids) or set(co))
    if not asked or any(d not in co for d in asked):
        raise InvalidInput("只能向本件的协办单位征求意见", "ask only the item's co-operating units",
                           field="unit_ids")  # fmt: skip
    for d in asked:
        co[d].opinion_requested_at, co[d].opinion_waived = now or utcnow(), False
    event(session, item, actor, "request_opinions", note=note, data={"units": asked})


@case_action
def do_give_opinion(session: Session, item: Suggestion, actor: Actor, *, opinion: str,
                    now: datetime | None = None) -> None:  # fmt: skip
    """提出协办意见: a co-operating unit sends its opinion to the lead unit."""
    unit = _units(session, item).get(actor.department_id or 0)
    if unit is None or unit.role != CO:  # the step's rule already refused; kept for direct callers
        raise InvalidInput("本单位不是协办单位", "your unit does not co-operate on this item", field="unit")
    unit.opinion, unit.opinion_at = opinion, now or utcnow()
    event(session, item, actor, "give_opinion", data={"unit_id": unit.department_id})


@case_action
def do_waive_opinions(session: Session, item: Suggestion, actor: Actor, *, reason: str) -> None:
    """免于等待: the office lets the lead unit answer without the opinions still missing, with the reason."""
    missing = [u for u in _units(session, item).values()
               if u.role == CO and u.opinion_requested_at is not None and u.opinion is None and not u.opinion_waived]  # fmt: skip
    if not missing:
        raise InvalidTransition(
            "没有待送达的协办意见", "no co-operating opinion is outstanding", field="opinions"
        )
    for u in missing:
        u.opinion_waived = True
    event(session, item, actor, "waive_opinions", note=reason,
          data={"units": sorted(u.department_id for u in missing)})  # fmt: skip
