"""Every write of 建议提案办理: one unit of work each, one event on the item's hash-chained record."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.cases.tracking import display_code, new_code
from minyi.db import utcnow
from minyi.deadlines.clock import month_policy
from minyi.deadlines.months import month_deadline
from minyi.deadlines.workcal import CHINA
from minyi.errors import Conflict, Forbidden, InvalidInput, InvalidTransition
from minyi.suggestions.assignment import event
from minyi.suggestions.events import append_suggestion_event
from minyi.suggestions.models import ContactRecord, FollowUp, Proposer, Suggestion, SuggestionAnswer
from minyi.suggestions.queries import code_hash, unit_facts
from minyi.suggestions.rules import (
    OFFICE,
    AnswerDraft,
    Category,
    Satisfaction,
    SuggestionStatus,
    answered_on_time,
    answering_units,
    check_answer,
    check_opinions_in,
    combined_category,
    evaluation_target,
    round_complete,
)
from minyi.suggestions.schemas import SuggestionIn
from minyi.uow import case_action, unit_of_work

S = SuggestionStatus


def check_register(session: Session, actor: Actor, body: SuggestionIn) -> None:
    """Refuse a registration before anything is written: office only, a known proposer, a free number."""
    if actor.role not in OFFICE:
        raise Forbidden("仅建议提案工作机构可登记", "only the office registers suggestions and proposals")
    if (body.proposer_id is None) == (body.proposer is None):
        raise InvalidInput("请选择已有提出人或填写新提出人（二选一）", "give proposer_id or proposer, not both",
                           field="proposer")  # fmt: skip
    if body.proposer_id is not None and session.get(Proposer, body.proposer_id) is None:
        raise InvalidInput("提出人不存在", "unknown proposer", field="proposer_id")
    taken = session.scalar(
        select(func.count())
        .select_from(Suggestion)
        .where(
            Suggestion.kind == body.kind,
            Suggestion.session_label == body.session,
            Suggestion.number == body.number,
        )
    )
    if taken:
        raise Conflict(
            "本次会议已有该编号", "this number is already registered in the session", field="number"
        )


@unit_of_work
def do_register_suggestion(
    session: Session, actor: Actor, body: SuggestionIn
) -> tuple[Suggestion, str | None]:
    """Register an item (and a new proposer, whose code is returned once); its record starts."""
    check_register(session, actor, body)
    code: str | None = None
    proposer_id = body.proposer_id
    if body.proposer is not None:
        code = new_code()
        proposer = Proposer(name=body.proposer.name, kind=body.proposer.kind, code_hash=code_hash(code))
        session.add(proposer)
        session.flush()
        proposer_id = proposer.id
    now = utcnow()
    item = Suggestion(
        kind=body.kind, session_label=body.session, number=body.number, proposer_id=proposer_id,
        cosigners=list(body.cosigners), subject=body.subject, body=body.body, status=S.registered,
        months=month_policy().answer_months, registered_at=now, updated_at=now, version=0, event_count=0,
        last_event_hash="",
    )  # fmt: skip
    session.add(item)
    session.flush()
    append_suggestion_event(session, item, actor, "register", None, S.registered,
                            data={"number": body.number, "session": body.session})  # fmt: skip
    return item, display_code(code) if code else None


@case_action
def do_accept(session: Session, item: Suggestion, actor: Actor, *, note: str | None = None) -> None:
    """立案: the item is accepted for handling."""
    event(session, item, actor, "accept", S.accepted, note=note)


@case_action
def do_not_accept(session: Session, item: Suggestion, actor: Actor, *, reason: str, to_opinion: bool) -> None:
    """不立案 with the reason; optionally turned into a letter of opinion (转为意见建议)."""
    item.not_accepted_reason, item.to_opinion = reason, to_opinion
    event(session, item, actor, "not_accept", S.not_accepted, note=reason, data={"to_opinion": to_opinion})


@case_action
def do_mark_key(session: Session, item: Suggestion, actor: Actor, *, leader: str) -> None:
    """重点督办: a key item, supervised by a named leader and shown on the board."""
    item.key_item, item.key_leader = True, leader
    event(session, item, actor, "mark_key", data={"leader": leader})


@case_action
def do_record_contact(session: Session, item: Suggestion, actor: Actor, *, way: str, contacted_on: Any,
                      who: str, summary: str) -> None:  # fmt: skip
    """沟通联系: the lead unit records a meeting, call or letter with the proposer (or that they declined)."""
    if contacted_on > utcnow().astimezone(CHINA).date():
        raise InvalidInput("沟通日期不能晚于今天", "the contact date is in the future", field="contacted_on")
    session.add(ContactRecord(suggestion_id=item.id, department_id=actor.department_id, way=way,
                              contacted_on=contacted_on, who=who, summary=summary, recorded_by=actor.user_id))  # fmt: skip
    if way == "declined":
        item.proposer_declined_contact = True
    event(session, item, actor, "contact", data={"way": way, "on": contacted_on.isoformat()})


def _check_answer(session: Session, item: Suggestion, unit: int, draft: AnswerDraft, today: date) -> None:
    units = unit_facts(session, item.id)
    if unit not in answering_units(
        item.lead_unit_id, units
    ):  # the step's rule already refused; direct callers
        raise InvalidInput("本单位不承办本件", "your unit does not answer this item", field="unit")
    if session.scalar(select(func.count()).select_from(SuggestionAnswer).where(
            SuggestionAnswer.suggestion_id == item.id, SuggestionAnswer.round == item.round,
            SuggestionAnswer.department_id == unit)):  # fmt: skip
        raise Conflict("本单位本轮已答复", "your unit has already answered this round", field="unit")
    if unit == item.lead_unit_id:
        check_opinions_in(units)
    contacts = session.scalar(select(func.count()).select_from(ContactRecord).where(
        ContactRecord.suggestion_id == item.id, ContactRecord.way != "declined",
        ContactRecord.department_id == unit))  # fmt: skip
    check_answer(draft, contacts=contacts or 0, proposer_declined=item.proposer_declined_contact, today=today)


@case_action
def do_answer(session: Session, item: Suggestion, actor: Actor, *, draft: AnswerDraft,
              now: datetime | None = None) -> SuggestionAnswer:  # fmt: skip
    """答复, signed off by the unit's head (each split unit its own part): needs the unit's contact record and,
    for the lead, the co-operating opinions asked for; a B answer opens a follow-up item. The item is answered
    when every part is."""
    now = now or utcnow()
    unit = actor.department_id or 0
    _check_answer(session, item, unit, draft, now.astimezone(CHINA).date())
    today = now.astimezone(CHINA).date()
    on_time = item.due_at is None or answered_on_time(today, item.due_at.astimezone(CHINA).date())
    answer = SuggestionAnswer(
        suggestion_id=item.id, round=item.round, department_id=unit, category=draft.category, text=draft.text,
        plan=draft.plan, plan_date=draft.plan_date, reason=draft.reason, signed_by=actor.user_id,
        signed_by_label=actor.label, answered_at=now, on_time=on_time,
    )  # fmt: skip
    session.add(answer)
    session.flush()
    if draft.category == Category.B and draft.plan and draft.plan_date:
        session.add(
            FollowUp(suggestion_id=item.id, answer_id=answer.id, plan=draft.plan, due_on=draft.plan_date)
        )
    parts = session.execute(select(SuggestionAnswer.department_id, SuggestionAnswer.category).where(
        SuggestionAnswer.suggestion_id == item.id, SuggestionAnswer.round == item.round)).all()  # fmt: skip
    data = {"category": draft.category, "round": item.round, "on_time": on_time, "unit_id": unit}
    if not round_complete(
        answering_units(item.lead_unit_id, unit_facts(session, item.id)), [d for d, _ in parts]
    ):
        event(session, item, actor, "answer", data={**data, "complete": False})
        return answer
    item.category, item.answered_at = combined_category(c for _, c in parts), now
    if item.round == 1:
        item.answered_on_time = on_time
    event(session, item, actor, "answer", S.answered, data={**data, "complete": True})
    return answer


@case_action
def do_withhold(session: Session, item: Suggestion, actor: Actor, *, reason: str) -> None:
    """答复不公开: the office keeps the answers off the public pages, with the reason on the record."""
    item.published, item.withhold_reason = False, reason
    event(session, item, actor, "withhold", note=reason)


@case_action
def do_evaluate(session: Session, item: Suggestion, actor: Actor, *, satisfaction: Satisfaction,
                comment: str | None = None, now: datetime | None = None) -> None:  # fmt: skip
    """The proposer's judgement; 不满意 on the first answer sends it back for a second answer (its own clock)."""
    answers = session.scalars(select(SuggestionAnswer).where(SuggestionAnswer.suggestion_id == item.id,
                                                             SuggestionAnswer.round == item.round)).all()  # fmt: skip
    if not answers:
        raise InvalidTransition("尚无答复可评价", "there is no answer to judge", field="status")
    for answer in answers:  # a split item's parts are judged together
        answer.satisfaction, answer.comment = satisfaction, comment
    item.satisfaction = satisfaction
    target = evaluation_target(satisfaction, item.round)
    data: dict[str, Any] = {"satisfaction": satisfaction, "round": item.round}
    if target == S.reanswering:
        now = now or utcnow()
        item.round += 1
        item.due_at = month_deadline(now, month_policy().second_answer_months)
        data["due_at"] = item.due_at.isoformat()
    event(session, item, actor, "evaluate", target, note=comment, data=data)


@case_action
def do_complete_followup(session: Session, item: Suggestion, actor: Actor, *, followup_id: int, note: str,
                         now: datetime | None = None) -> None:  # fmt: skip
    """计划落实: the unit whose B answer promised the plan reports it done; the ladder stops watching its date."""
    row = session.execute(
        select(FollowUp, SuggestionAnswer.department_id)
        .join(SuggestionAnswer, SuggestionAnswer.id == FollowUp.answer_id)
        .where(FollowUp.id == followup_id, FollowUp.suggestion_id == item.id)
    ).first()
    if row is None or row[1] != actor.department_id:
        raise InvalidInput(
            "本单位没有该项待落实的计划", "your unit has no such plan on this item", field="followup_id"
        )
    follow = row[0]
    if follow.done_at is not None:
        raise Conflict("该计划已报告落实", "this plan was already reported done", field="followup_id")
    follow.done_at, follow.done_note = now or utcnow(), note
    event(session, item, actor, "complete_followup", note=note, data={"followup_id": follow.id})
