"""Pure rules of 建议提案办理: states, who may take each step from where, and what an answer needs.

A deputy's suggestion (人大代表建议) or a CPPCC proposal (政协提案) is registered by the office, accepted (立案) or
not (不立案, with a reason, optionally turned into a letter of opinion), assigned to a lead unit (主办) with
co-operating units (协办), possibly disputed by the unit (the office decides), answered by the lead unit's head
with a category A/B/C after at least one contact with the proposer, judged by the proposer, and answered a second
time after 不满意.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum

from minyi.access import DEPARTMENT, DISPATCH
from minyi.accounts.roles import Role
from minyi.deadlines.workcal import CHINA, END_OF_DAY
from minyi.errors import InvalidInput, InvalidTransition, NotPermitted


class SuggestionKind(StrEnum):
    deputy_suggestion = "deputy_suggestion"  # 人大代表建议
    cppcc_proposal = "cppcc_proposal"  # 政协提案


class SuggestionStatus(StrEnum):
    registered = "registered"  # 已登记
    not_accepted = "not_accepted"  # 不立案
    accepted = "accepted"  # 已立案
    assigned = "assigned"  # 已交办
    disputed = "disputed"  # 交办异议
    answered = "answered"  # 已答复, awaiting the proposer's judgement
    reanswering = "reanswering"  # 不满意, a second answer is due
    evaluated = "evaluated"  # 已评价, finished


class Category(StrEnum):
    A = "A"  # 已解决或采纳
    B = "B"  # 正在解决或列入计划
    C = "C"  # 留作参考


class Satisfaction(StrEnum):
    satisfied = "satisfied"  # 满意
    basically_satisfied = "basically_satisfied"  # 基本满意
    unsatisfied = "unsatisfied"  # 不满意


S = SuggestionStatus
OFFICE = DISPATCH  # the congress office (人大代表工作机构) and the CPPCC proposals committee (提案委员会)
LEAD_UNIT = DEPARTMENT  # staff of the lead unit (主办单位)
OPEN = frozenset({S.registered, S.accepted, S.assigned, S.disputed, S.answered, S.reanswering})
WITH_UNIT = frozenset({S.assigned, S.reanswering})  # the lead unit owes an answer


LEAD, PART, CO = (
    "lead",
    "part",
    "co",
)  # the lead unit (主办), a unit answering its part (分办), co-operating (协办)
ANSWERING = frozenset({LEAD, PART})
ANY_UNIT = frozenset({LEAD, PART, CO})


@dataclass(frozen=True)
class Step:
    """One step of the procedure: the states it starts from, who takes it, the state it leads to (None: stays).
    `units`: which of the item's units a department's staff must belong to (empty: staff of any unit)."""

    sources: frozenset[SuggestionStatus]
    roles: frozenset[Role]
    target: SuggestionStatus | None
    units: frozenset[str] = frozenset()
    zh: str = ""


STEPS: dict[str, Step] = {
    "accept": Step(frozenset({S.registered}), OFFICE, S.accepted, zh="立案"),
    "not_accept": Step(frozenset({S.registered}), OFFICE, S.not_accepted, zh="不立案"),
    "assign": Step(frozenset({S.accepted}), OFFICE, S.assigned, zh="交办"),
    "dispute": Step(frozenset({S.assigned}), LEAD_UNIT, S.disputed, units=ANY_UNIT, zh="交办异议"),
    "decide_dispute": Step(frozenset({S.disputed}), OFFICE, S.assigned, zh="异议处理"),
    "extend": Step(frozenset({S.assigned, S.disputed}), OFFICE, None, zh="延长办理期限"),
    "mark_key": Step(OPEN, OFFICE, None, zh="确定重点督办"),
    "request_opinions": Step(WITH_UNIT, OFFICE | LEAD_UNIT, None, units=frozenset({LEAD}), zh="征求协办意见"),
    "give_opinion": Step(WITH_UNIT, LEAD_UNIT, None, units=frozenset({CO}), zh="提出协办意见"),
    "waive_opinions": Step(WITH_UNIT, OFFICE, None, zh="免于等待协办意见"),
    "contact": Step(WITH_UNIT, LEAD_UNIT, None, units=ANSWERING, zh="沟通联系"),
    "answer": Step(WITH_UNIT, frozenset({Role.dept_head}), S.answered, units=ANSWERING, zh="答复"),
    "complete_followup": Step(
        frozenset({S.answered, S.reanswering, S.evaluated}), LEAD_UNIT, None, units=ANSWERING, zh="计划落实"
    ),
    "withhold": Step(frozenset({S.answered, S.reanswering, S.evaluated}), OFFICE, None, zh="答复不公开"),
    "evaluate": Step(frozenset({S.answered}), frozenset({Role.citizen}), None, zh="评价"),
}


def unit_relation(
    department_id: int | None, lead_unit_id: int | None, units: Mapping[int, str]
) -> str | None:
    """What the actor's unit is to the item: its lead unit, a unit answering its part, a co-operating unit."""
    if department_id is None:
        return None
    if department_id == lead_unit_id:
        return LEAD
    return units.get(department_id)


def check_step(name: str, status: str, role: Role, *, unit: str | None) -> Step:
    """Refuse a step from the wrong state (409) or by the wrong role or unit (403); return the step."""
    step = STEPS[name]
    if role not in step.roles or (role in DEPARTMENT and step.units and unit not in step.units):
        raise NotPermitted(f"无权执行“{step.zh}”", f"your role may not {name} this item")
    if SuggestionStatus(status) not in step.sources:
        raise InvalidTransition(
            f"当前状态下不能“{step.zh}”", f"cannot {name} an item that is {status}", field="status"
        )
    return step


def evaluation_target(satisfaction: Satisfaction, round_: int) -> SuggestionStatus:
    """不满意 on the first answer sends the item back for a second answer; any other judgement finishes it."""
    if satisfaction == Satisfaction.unsatisfied and round_ == 1:
        return S.reanswering
    return S.evaluated


@dataclass(frozen=True)
class AnswerDraft:
    """What the lead unit's head sends: the category and what each category must carry."""

    category: Category
    text: str
    plan: str | None = None
    plan_date: date | None = None
    reason: str | None = None


def check_answer(draft: AnswerDraft, *, contacts: int, proposer_declined: bool, today: date) -> None:
    """An answer needs a contact with the proposer (unless they declined), B a plan with a future date, C a reason."""
    if contacts == 0 and not proposer_declined:
        raise InvalidTransition(
            "答复前须至少记录一次与提出人的沟通（提出人明确不需要沟通的除外）",
            "record at least one contact with the proposer before answering (unless they declined)",
            field="contacts",
        )
    if len(draft.text.strip()) < 20:
        raise InvalidInput("答复内容过短", "the answer is too short", field="text")
    if draft.category == Category.B:
        if not (draft.plan or "").strip():
            raise InvalidInput("B类答复须写明解决计划", "a B answer needs the plan", field="plan")
        if draft.plan_date is None or draft.plan_date <= today:
            raise InvalidInput(
                "B类答复须写明计划完成日期（今后的日期）",
                "a B answer needs a future plan date",
                field="plan_date",
            )
    if draft.category == Category.C and not (draft.reason or "").strip():
        raise InvalidInput("C类答复须说明留作参考的原因", "a C answer needs the reason", field="reason")


@dataclass(frozen=True)
class UnitFacts:
    """What the rules need of one of an item's units (besides the lead)."""

    department_id: int
    role: str  # co | part
    opinion_requested: bool = False
    opinion_given: bool = False
    opinion_waived: bool = False


def check_units_apart(lead: int, co: Iterable[int], parts: Iterable[int]) -> None:
    """A unit has one place on an item: the lead unit is neither co-operating nor a part, nor both of those."""
    co_set, part_set = set(co), set(parts)
    if lead in part_set or co_set & part_set:
        raise InvalidInput(
            "同一单位不能同时担任主办、分办或协办",
            "a unit is lead, part or co-operating, not two of them",
            field="part_unit_ids",
        )


def pending_opinions(units: Iterable[UnitFacts]) -> list[int]:
    """Co-operating units asked for their opinion that have neither given it nor been waived by the office."""
    return sorted(u.department_id for u in units
                  if u.role == CO and u.opinion_requested and not u.opinion_given and not u.opinion_waived)  # fmt: skip


def check_opinions_in(units: Iterable[UnitFacts]) -> None:
    """The lead unit answers only once the opinions it asked for are in (or the office waived them)."""
    if pending_opinions(units):
        raise InvalidTransition(
            "协办单位意见尚未送达，不能答复（或请交办机构决定免于等待）",
            "the co-operating units' opinions are not in yet (or the office must waive them)",
            field="opinions",
        )


def answering_units(lead: int | None, units: Iterable[UnitFacts]) -> frozenset[int]:
    """The units that each answer their own part: the lead unit and every split part (分办)."""
    parts = {u.department_id for u in units if u.role == PART}
    return frozenset(parts | ({lead} if lead is not None else set()))


def round_complete(answering: frozenset[int], answered: Iterable[int]) -> bool:
    """A round is answered when every answering unit has sent its part."""
    return answering <= set(answered)


def combined_category(categories: Iterable[str]) -> Category:
    """The item's category over its parts: the least settled one (any C, else any B, else A)."""
    found = {Category(c) for c in categories}
    for category in (Category.C, Category.B):
        if category in found:
            return category
    return Category.A


def followup_due_at(due_on: date) -> datetime:
    """The end of a B answer's promised day in China time, as aware UTC: the ladder watches it like a deadline."""
    return datetime.combine(due_on, END_OF_DAY, tzinfo=CHINA).astimezone(UTC)


def answer_subject(round_: int) -> str:
    """What a rung on the answer deadline is about (one ladder per round)."""
    return f"answer:{round_}"


def followup_subject(followup_id: int) -> str:
    """What a rung on a follow-up's promised date is about."""
    return f"followup:{followup_id}"


def answered_on_time(answered_at_day: date, due_day: date) -> bool:
    """On time when answered on or before the deadline's day (both in China time)."""
    return answered_at_day <= due_day


def format_number(serial: int) -> str:
    """The item number as printed: 第0123号."""
    return f"第{serial:04d}号"


def may_see_suggestion(
    role: Role, department_id: int | None, lead_unit_id: int | None, co_units: frozenset[int]
) -> bool:
    """The office sees every item; a unit's staff see the items it leads or co-operates on (others: 404)."""
    if role in OFFICE:
        return True
    if role not in DEPARTMENT or department_id is None:
        return False
    return department_id == lead_unit_id or department_id in co_units


PUBLIC_STATUSES = (S.answered, S.reanswering, S.evaluated)


def is_public(status: str, published: bool) -> bool:
    """Answers are published (答复公开) once sent, unless the office marked the item not for publication."""
    return published and status in PUBLIC_STATUSES
