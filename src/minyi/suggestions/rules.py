"""Pure rules of 建议提案办理: states, who may take each step from where, and what an answer needs.

A deputy's suggestion (人大代表建议) or a CPPCC proposal (政协提案) is registered by the office, accepted (立案) or
not (不立案, with a reason, optionally turned into a letter of opinion), assigned to a lead unit (主办) with
co-operating units (协办), possibly disputed by the unit (the office decides), answered by the lead unit's head
with a category A/B/C after at least one contact with the proposer, judged by the proposer, and answered a second
time after 不满意.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from minyi.access import DEPARTMENT, DISPATCH
from minyi.accounts.roles import Role
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


@dataclass(frozen=True)
class Step:
    """One step of the procedure: the states it starts from, who takes it, the state it leads to (None: stays)."""

    sources: frozenset[SuggestionStatus]
    roles: frozenset[Role]
    target: SuggestionStatus | None
    unit_only: bool = False  # only staff of the lead unit (not any department)
    zh: str = ""


STEPS: dict[str, Step] = {
    "accept": Step(frozenset({S.registered}), OFFICE, S.accepted, zh="立案"),
    "not_accept": Step(frozenset({S.registered}), OFFICE, S.not_accepted, zh="不立案"),
    "assign": Step(frozenset({S.accepted}), OFFICE, S.assigned, zh="交办"),
    "dispute": Step(frozenset({S.assigned}), LEAD_UNIT, S.disputed, unit_only=True, zh="交办异议"),
    "decide_dispute": Step(frozenset({S.disputed}), OFFICE, S.assigned, zh="异议处理"),
    "extend": Step(frozenset({S.assigned, S.disputed}), OFFICE, None, zh="延长办理期限"),
    "mark_key": Step(OPEN, OFFICE, None, zh="确定重点督办"),
    "contact": Step(WITH_UNIT, LEAD_UNIT, None, unit_only=True, zh="沟通联系"),
    "answer": Step(WITH_UNIT, frozenset({Role.dept_head}), S.answered, unit_only=True, zh="答复"),
    "withhold": Step(frozenset({S.answered, S.reanswering, S.evaluated}), OFFICE, None, zh="答复不公开"),
    "evaluate": Step(frozenset({S.answered}), frozenset({Role.citizen}), None, zh="评价"),
}


def check_step(name: str, status: str, role: Role, *, lead_unit: bool) -> Step:
    """Refuse a step from the wrong state (409) or by the wrong role or unit (403); return the step."""
    step = STEPS[name]
    if role not in step.roles or (step.unit_only and not lead_unit):
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
