"""Every write of 建议提案办理: one unit of work each, one event on the item's hash-chained record."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.cases.tracking import display_code, new_code
from minyi.db import utcnow
from minyi.deadlines.clock import month_policy
from minyi.deadlines.months import check_answer_months, day_deadline, month_deadline
from minyi.deadlines.workcal import CHINA
from minyi.departments.models import Department
from minyi.errors import Conflict, Forbidden, InvalidInput, InvalidTransition
from minyi.suggestions.events import append_suggestion_event
from minyi.suggestions.models import (
    ContactRecord,
    FollowUp,
    Proposer,
    Suggestion,
    SuggestionAnswer,
    SuggestionUnit,
)
from minyi.suggestions.rules import (
    OFFICE,
    AnswerDraft,
    Category,
    Satisfaction,
    SuggestionStatus,
    answered_on_time,
    check_answer,
    evaluation_target,
)
from minyi.suggestions.schemas import SuggestionIn
from minyi.uow import case_action, unit_of_work

S = SuggestionStatus


def _event(session: Session, item: Suggestion, actor: Actor, action: str, to: str | None = None,
           note: str | None = None, data: dict[str, Any] | None = None) -> None:  # fmt: skip
    before = item.status
    if to is not None:
        item.status = to
    append_suggestion_event(session, item, actor, action, before, to or before, note=note, data=data)


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
        from minyi.suggestions.queries import code_hash

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
    _event(session, item, actor, "accept", S.accepted, note=note)


@case_action
def do_not_accept(session: Session, item: Suggestion, actor: Actor, *, reason: str, to_opinion: bool) -> None:
    """不立案 with the reason; optionally turned into a letter of opinion (转为意见建议)."""
    item.not_accepted_reason, item.to_opinion = reason, to_opinion
    _event(session, item, actor, "not_accept", S.not_accepted, note=reason, data={"to_opinion": to_opinion})


def _check_units(session: Session, lead: int, co: list[int]) -> list[int]:
    others = sorted(set(co) - {lead})
    for dept_id in [lead, *others]:
        dept = session.get(Department, dept_id)
        if dept is None or not dept.active:
            raise InvalidInput("承办单位不存在或已停用", "unknown or inactive unit", field="lead_unit_id")
    return others


def _give_to(session: Session, item: Suggestion, lead: int, co: list[int], now: datetime) -> None:
    policy = month_policy()
    session.execute(delete(SuggestionUnit).where(SuggestionUnit.suggestion_id == item.id))
    session.add_all(SuggestionUnit(suggestion_id=item.id, department_id=d) for d in co)
    item.lead_unit_id, item.assigned_at, item.months = lead, now, policy.answer_months
    item.due_at = month_deadline(now, policy.answer_months)
    item.dispute_until = day_deadline(now, policy.dispute_days)


@case_action
def do_assign(session: Session, item: Suggestion, actor: Actor, *, lead_unit_id: int,
              co_unit_ids: list[int], note: str | None = None, now: datetime | None = None) -> None:  # fmt: skip
    """交办 to a lead unit with co-operating units: the calendar-month clock starts."""
    co = _check_units(session, lead_unit_id, co_unit_ids)
    _give_to(session, item, lead_unit_id, co, now or utcnow())
    _event(session, item, actor, "assign", S.assigned, note=note,
           data={"lead_unit_id": lead_unit_id, "co": co, "due_at": item.due_at.isoformat() if item.due_at else None})  # fmt: skip


@case_action
def do_dispute(
    session: Session, item: Suggestion, actor: Actor, *, reason: str, now: datetime | None = None
) -> None:
    """交办异议: the lead unit says the item is not theirs, within the dispute window; the office decides."""
    if item.dispute_until is not None and (now or utcnow()) > item.dispute_until:
        raise InvalidTransition("已超过交办异议期限", "the time to dispute the assignment has passed",
                                field="dispute_until")  # fmt: skip
    _event(session, item, actor, "dispute", S.disputed, note=reason)


@case_action
def do_decide_dispute(session: Session, item: Suggestion, actor: Actor, *, uphold: bool, lead_unit_id: int | None,
                      co_unit_ids: list[int], note: str | None = None) -> None:  # fmt: skip
    """The office upholds the assignment (the clock runs on) or gives the item to another lead unit (restarts)."""
    if uphold:
        _event(session, item, actor, "decide_dispute", S.assigned, note=note, data={"uphold": True})
        return
    if lead_unit_id is None:
        raise InvalidInput(
            "改办须指定新的主办单位", "reassigning needs a new lead unit", field="lead_unit_id"
        )
    co = _check_units(session, lead_unit_id, co_unit_ids)
    _give_to(session, item, lead_unit_id, co, utcnow())
    _event(session, item, actor, "decide_dispute", S.assigned, note=note,
           data={"uphold": False, "lead_unit_id": lead_unit_id, "co": co})  # fmt: skip


@case_action
def do_extend(session: Session, item: Suggestion, actor: Actor, *, months: int, reason: str) -> None:
    """延期: the office approves a longer answer period (three to six months from assignment)."""
    check_answer_months(months, month_policy())
    if item.assigned_at is None:
        raise InvalidTransition("尚未交办", "not assigned yet", field="status")
    item.months, item.due_at = months, month_deadline(item.assigned_at, months)
    _event(session, item, actor, "extend", note=reason, data={"months": months})


@case_action
def do_mark_key(session: Session, item: Suggestion, actor: Actor, *, leader: str) -> None:
    """重点督办: a key item, supervised by a named leader and shown on the board."""
    item.key_item, item.key_leader = True, leader
    _event(session, item, actor, "mark_key", data={"leader": leader})


@case_action
def do_record_contact(session: Session, item: Suggestion, actor: Actor, *, way: str, contacted_on: Any,
                      who: str, summary: str) -> None:  # fmt: skip
    """沟通联系: the lead unit records a meeting, call or letter with the proposer (or that they declined)."""
    if contacted_on > utcnow().astimezone(CHINA).date():
        raise InvalidInput("沟通日期不能晚于今天", "the contact date is in the future", field="contacted_on")
    session.add(ContactRecord(suggestion_id=item.id, way=way, contacted_on=contacted_on, who=who,
                              summary=summary, recorded_by=actor.user_id))  # fmt: skip
    if way == "declined":
        item.proposer_declined_contact = True
    _event(session, item, actor, "contact", data={"way": way, "on": contacted_on.isoformat()})


@case_action
def do_answer(session: Session, item: Suggestion, actor: Actor, *, draft: AnswerDraft,
              now: datetime | None = None) -> SuggestionAnswer:  # fmt: skip
    """答复, signed off by the unit's head: needs a contact record; a B answer opens a follow-up item."""
    now = now or utcnow()
    today = now.astimezone(CHINA).date()
    contacts = session.scalar(select(func.count()).select_from(ContactRecord)
                              .where(ContactRecord.suggestion_id == item.id, ContactRecord.way != "declined"))  # fmt: skip
    check_answer(draft, contacts=contacts or 0, proposer_declined=item.proposer_declined_contact, today=today)
    on_time = item.due_at is None or answered_on_time(today, item.due_at.astimezone(CHINA).date())
    answer = SuggestionAnswer(
        suggestion_id=item.id, round=item.round, category=draft.category, text=draft.text, plan=draft.plan,
        plan_date=draft.plan_date, reason=draft.reason, signed_by=actor.user_id, signed_by_label=actor.label,
        answered_at=now, on_time=on_time,
    )  # fmt: skip
    session.add(answer)
    session.flush()
    if draft.category == Category.B and draft.plan and draft.plan_date:
        session.add(
            FollowUp(suggestion_id=item.id, answer_id=answer.id, plan=draft.plan, due_on=draft.plan_date)
        )
    item.category, item.answered_at = draft.category, now
    if item.round == 1:
        item.answered_on_time = on_time
    _event(session, item, actor, "answer", S.answered,
           data={"category": draft.category, "round": item.round, "on_time": on_time})  # fmt: skip
    return answer


@case_action
def do_withhold(session: Session, item: Suggestion, actor: Actor, *, reason: str) -> None:
    """答复不公开: the office keeps the answers off the public pages, with the reason on the record."""
    item.published, item.withhold_reason = False, reason
    _event(session, item, actor, "withhold", note=reason)


@case_action
def do_evaluate(session: Session, item: Suggestion, actor: Actor, *, satisfaction: Satisfaction,
                comment: str | None = None, now: datetime | None = None) -> None:  # fmt: skip
    """The proposer's judgement; 不满意 on the first answer sends it back for a second answer (its own clock)."""
    answer = session.scalar(select(SuggestionAnswer).where(SuggestionAnswer.suggestion_id == item.id,
                                                           SuggestionAnswer.round == item.round))  # fmt: skip
    if answer is None:
        raise InvalidTransition("尚无答复可评价", "there is no answer to judge", field="status")
    answer.satisfaction, answer.comment = satisfaction, comment
    item.satisfaction = satisfaction
    target = evaluation_target(satisfaction, item.round)
    data: dict[str, Any] = {"satisfaction": satisfaction, "round": item.round}
    if target == S.reanswering:
        now = now or utcnow()
        item.round += 1
        item.due_at = month_deadline(now, month_policy().second_answer_months)
        data["due_at"] = item.due_at.isoformat()
    _event(session, item, actor, "evaluate", target, note=comment, data=data)
