"""Every step on a suggestion or proposal, declared once: its input, its do_* function, who may take it.

The JSON API generates one route per command and the workbench page runs the same command from its form, both
through `execute`; who may take a step, and from which states, is the pure table `rules.STEPS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from minyi.accounts.actor import CITIZEN, Actor
from minyi.errors import Conflict, Forbidden
from minyi.suggestions import actions as act
from minyi.suggestions import assignment as asg
from minyi.suggestions.models import Suggestion
from minyi.suggestions.queries import (
    access_own_suggestion,
    access_proposer_by_code,
    access_suggestion_by_id,
    unit_roles,
)
from minyi.suggestions.rules import STEPS, AnswerDraft, check_step, unit_relation
from minyi.suggestions.schemas import (
    AnswerIn,
    AssignIn,
    ContactIn,
    DisputeDecisionIn,
    EvaluateIn,
    ExtendIn,
    FollowUpDoneIn,
    KeyIn,
    NotAcceptIn,
    NoteIn,
    OpinionIn,
    OpinionRequestIn,
    ReasonIn,
)
from minyi.uow import write


@dataclass(frozen=True)
class SuggestionCommand:
    """One step: where the API takes it, what it takes, what it runs."""

    name: str
    path: str
    schema: type[BaseModel]
    run: Callable[[Session, Suggestion, Actor, Any], object]
    summary: str


def _answer(s: Session, i: Suggestion, a: Actor, b: AnswerIn) -> object:
    draft = AnswerDraft(b.category, b.text, b.plan, b.plan_date, b.reason)
    return act.do_answer(s, i, a, draft=draft)


def _staff() -> list[SuggestionCommand]:
    return [
        SuggestionCommand("accept", "accept", NoteIn, lambda s, i, a, b: act.do_accept(s, i, a, note=b.note),
                          "立案 accept the item"),
        SuggestionCommand("not_accept", "not-accept", NotAcceptIn,
                          lambda s, i, a, b: act.do_not_accept(s, i, a, reason=b.reason, to_opinion=b.to_opinion),
                          "不立案 with a reason, optionally as a letter of opinion"),
        SuggestionCommand("assign", "assign", AssignIn,
                          lambda s, i, a, b: asg.do_assign(s, i, a, lead_unit_id=b.lead_unit_id, co_unit_ids=b.co_unit_ids,
                                                           part_unit_ids=b.part_unit_ids, note=b.note),
                          "交办 to a lead unit, split units (分办) and co-operating units (three months to answer)"),
        SuggestionCommand("dispute", "dispute", ReasonIn, lambda s, i, a, b: asg.do_dispute(s, i, a, reason=b.reason),
                          "交办异议 a unit of the item disputes the assignment within the dispute window"),
        SuggestionCommand("decide_dispute", "dispute/decision", DisputeDecisionIn,
                          lambda s, i, a, b: asg.do_decide_dispute(s, i, a, uphold=b.uphold, lead_unit_id=b.lead_unit_id,
                                                                   co_unit_ids=b.co_unit_ids,
                                                                   part_unit_ids=b.part_unit_ids, note=b.note),
                          "异议处理 the office upholds or reassigns"),
        SuggestionCommand("extend", "extension", ExtendIn,
                          lambda s, i, a, b: asg.do_extend(s, i, a, months=b.months, reason=b.reason),
                          "延期 approve up to six months"),
        SuggestionCommand("mark_key", "key", KeyIn, lambda s, i, a, b: act.do_mark_key(s, i, a, leader=b.leader),
                          "重点督办 a key item with its leader"),
        SuggestionCommand("request_opinions", "opinions/request", OpinionRequestIn,
                          lambda s, i, a, b: asg.do_request_opinions(s, i, a, unit_ids=b.unit_ids, note=b.note),
                          "征求协办意见 ask co-operating units for their opinion before the lead unit answers"),
        SuggestionCommand("give_opinion", "opinions", OpinionIn,
                          lambda s, i, a, b: asg.do_give_opinion(s, i, a, opinion=b.opinion),
                          "提出协办意见 a co-operating unit sends its opinion"),
        SuggestionCommand("waive_opinions", "opinions/waiver", ReasonIn,
                          lambda s, i, a, b: asg.do_waive_opinions(s, i, a, reason=b.reason),
                          "免于等待 the office lets the lead unit answer without the missing opinions"),
        SuggestionCommand("contact", "contacts", ContactIn,
                          lambda s, i, a, b: act.do_record_contact(s, i, a, way=b.way, contacted_on=b.contacted_on,
                                                                   who=b.who, summary=b.summary),
                          "沟通联系 record contact with the proposer"),
        SuggestionCommand("answer", "answer", AnswerIn, _answer, "答复 the unit head's answer, category A/B/C"),
        SuggestionCommand("complete_followup", "followups", FollowUpDoneIn,
                          lambda s, i, a, b: act.do_complete_followup(s, i, a, followup_id=b.followup_id, note=b.note),
                          "计划落实 the unit reports a B answer's plan done"),
        SuggestionCommand("withhold", "withhold", ReasonIn, lambda s, i, a, b: act.do_withhold(s, i, a, reason=b.reason),
                          "答复不公开 keep the answer off the public pages, with a reason"),
    ]  # fmt: skip


STAFF_COMMANDS: dict[str, SuggestionCommand] = {c.name: c for c in _staff()}
EVALUATE = SuggestionCommand(
    "evaluate", "evaluation", EvaluateIn,
    lambda s, i, a, b: act.do_evaluate(s, i, a, satisfaction=b.satisfaction, comment=b.comment),
    "评价 the proposer judges the answer; 不满意 asks for a second answer",
)  # fmt: skip


def _check(session: Session, item: Suggestion, actor: Actor, name: str, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != item.version:
        raise Conflict(
            "该件已被他人修改，请刷新后重试", "the item changed since you loaded it", field="version"
        )
    unit = unit_relation(actor.department_id, item.lead_unit_id, unit_roles(session, item.id))
    check_step(name, item.status, actor.role, unit=unit)


def execute(session: Session, actor: Actor, suggestion_id: int, command: SuggestionCommand, body: BaseModel,
            *, expected_version: int | None = None) -> Suggestion:  # fmt: skip
    """Run one staff step: every check that can refuse it first, then one unit of work on the locked item."""
    _check(
        session, access_suggestion_by_id(session, actor, suggestion_id), actor, command.name, expected_version
    )
    with write(session, actor):
        item = access_suggestion_by_id(session, actor, suggestion_id, for_update=True)
        _check(session, item, actor, command.name, expected_version)
        command.run(session, item, actor, body)
    return item


def execute_proposer(session: Session, code: str, suggestion_id: int, body: EvaluateIn, *,
                     staff_credentials: bool) -> Suggestion:  # fmt: skip
    """The proposer judges an answer with their code (refused to anyone who comes with staff credentials)."""
    if staff_credentials:
        raise Forbidden("工作人员不能代替提出人评价", "staff may not judge an answer in the proposer's place")
    proposer = access_proposer_by_code(session, code)
    actor = Actor(CITIZEN.role, f"proposer:{proposer.name}")
    _check(session, access_own_suggestion(session, proposer, suggestion_id), actor, "evaluate", None)
    with write(session, actor):
        item = access_own_suggestion(session, proposer, suggestion_id, for_update=True)
        _check(session, item, actor, "evaluate", None)
        EVALUATE.run(session, item, actor, body)
    return item


def allowed_steps(session: Session, actor: Actor, item: Suggestion) -> list[str]:
    """The staff steps the rules let this actor take on this item now (the page shows forms for these)."""
    out = []
    for name in STAFF_COMMANDS:
        try:
            _check(session, item, actor, name, None)
        except Conflict:
            continue
        out.append(name)
    return out


assert set(STAFF_COMMANDS) | {"evaluate"} == set(STEPS)
