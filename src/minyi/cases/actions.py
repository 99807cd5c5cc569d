"""Every write to a case: one do_* function each, one transaction, one audit event."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.cases.events import append_event
from minyi.cases.models import Case, CoHandler
from minyi.cases.public_reply import store_reply
from minyi.cases.quality import assess_reply
from minyi.cases.rules import (
    Evaluation,
    Status,
    check_transition,
    evaluation_outcome,
)
from minyi.db import utcnow
from minyi.deadlines.clock import (
    calendar,
    policy_for,
    set_stage,
    stop_clock,
)
from minyi.deadlines.rules import clock_start
from minyi.departments.models import Department
from minyi.errors import Conflict, InvalidInput
from minyi.settings import get_settings
from minyi.uow import case_action

action = case_action  # every do_* below is one unit of work with one audit event


def same_department(case: Case, actor: Actor) -> bool:
    return actor.department_id is not None and case.department_id == actor.department_id


def step(
    session: Session,
    case: Case,
    actor: Actor,
    name: str,
    *,
    note: str | None = None,
    data: dict[str, Any] | None = None,
    public: bool = True,
    target: Status | None = None,
    now: datetime | None = None,
) -> Status:
    """Check the transition, move the status, bump the version and append the event."""
    t = check_transition(name, Status(case.status), actor.role, same_department=same_department(case, actor))
    before = case.status
    after = target or t.target or Status(case.status)
    case.status = after.value
    case.version += 1
    case.updated_at = now or utcnow()
    append_event(session, case, actor, name, before, after.value, note=note, data=data, public=public, at=now)
    return after


@action
def do_accept(
    session: Session, case: Case, actor: Actor, *, note: str | None = None, now: datetime | None = None
) -> Case:
    """受理: the demand is ours to handle; the handling clock starts."""
    now = now or utcnow()
    step(session, case, actor, "accept", note=note, now=now)
    case.accepted_at = now
    set_stage(session, case, "handling", now, policy_for(session, case))
    return case


@action
def do_decline(
    session: Session, case: Case, actor: Actor, *, reason: str, now: datetime | None = None
) -> Case:
    """不予受理, with the reason the submitter will see."""
    step(session, case, actor, "decline", note=reason, now=now)
    case.decline_reason = reason
    case.closed_at = now or utcnow()
    stop_clock(case)
    return case


@action
def do_assign(
    session: Session,
    case: Case,
    actor: Actor,
    *,
    department_id: int,
    co_handler_ids: list[int] | None = None,
    note: str | None = None,
    now: datetime | None = None,
) -> Case:
    """交办 to the responsible department, with optional co-handlers; the sign-for clock starts."""
    now = now or utcnow()
    co = sorted(set(co_handler_ids or []) - {department_id})
    for dept_id in [department_id, *co]:
        dept = session.get(Department, dept_id)
        if dept is None or not dept.active:
            raise InvalidInput(
                "承办单位不存在或已停用", "unknown or inactive department", field="department_id"
            )
    step(session, case, actor, "assign", note=note, data={"department_id": department_id, "co": co}, now=now)
    case.department_id = department_id
    case.assigned_at = now
    for old in session.scalars(select(CoHandler).where(CoHandler.case_id == case.id)):
        session.delete(old)
    session.add_all(CoHandler(case_id=case.id, department_id=d) for d in co)
    set_stage(session, case, "sign_for", now, policy_for(session, case))
    return case


def resume_handling(session: Session, case: Case) -> None:
    start = clock_start(case.registered_at, case.accepted_at)
    set_stage(session, case, "handling", start, policy_for(session, case), case.extension_days)


@action
def do_sign_for(
    session: Session, case: Case, actor: Actor, *, note: str | None = None, now: datetime | None = None
) -> Case:
    """签收: the department takes the case; the handling clock (counted from acceptance) governs."""
    step(session, case, actor, "sign_for", note=note, now=now)
    case.signed_at = now or utcnow()
    resume_handling(session, case)
    return case


@action
def do_return(
    session: Session, case: Case, actor: Actor, *, reason: str, now: datetime | None = None
) -> Case:
    """退回: not our business, with a reason; back to dispatch, visible to supervisors as a dispute."""
    dept = case.department_id
    step(session, case, actor, "return", note=reason, data={"department_id": dept}, now=now)
    case.return_reason = reason
    case.department_id = None
    resume_handling(session, case)
    return case


class WeakReply(Conflict):
    """A reply the quality check finds weak, sent back for a second look before it goes out."""

    code = "weak_reply"

    EN = {
        "只是收悉/转办告知，没有处理结果": "it only acknowledges or forwards, with no outcome",
        "大部分是套话，实质内容太少": "it is mostly boilerplate",
        "只是让群众另找部门或电话，没有替群众办": "it only sends the person elsewhere",
        "没有逐项回应诉求或没有说明将怎么办": "it does not answer each point or say what will be done",
        "与留言内容关联很弱，可能答非所问": "it barely relates to the message",
        "建议：给出依据（事实、政策、规定或理由）": "advice: give the basis (facts, rules, policy or reasons)",
    }

    def __init__(self, reasons: list[str]):
        english = [self.EN.get(r, "it is late" if r.startswith("答复用了") else r) for r in reasons]
        super().__init__(
            "答复可能不够充分：" + "；".join(reasons) + "。请修改，或确认仍然发送。",
            "the reply looks weak: " + "; ".join(english) + ". Revise it, or confirm to send it anyway.",
            field="text",
        )
        self.reasons = reasons


@action
def do_reply(
    session: Session,
    case: Case,
    actor: Actor,
    *,
    text: str,
    confirm_weak: bool = True,
    now: datetime | None = None,
) -> Case:
    """答复: the official answer; a weak one is refused unless confirmed, and its quality is kept either way."""
    now = now or utcnow()
    quality = assess_reply(case, text, now, calendar(session))
    if quality is not None and quality.weak and not confirm_weak:
        raise WeakReply(quality.reasons)
    data: dict[str, Any] = {"round": case.round}
    if quality is not None:
        data["quality"] = {"overall": quality.overall, "weak": quality.weak, "reasons": quality.reasons,
                           "workdays": quality.workdays}  # fmt: skip
    step(session, case, actor, "reply", note=text, data=data, now=now)
    case.reply_text = text
    store_reply(session, case, text)  # masked as the public reads it, with the redaction revision
    case.replied_at = now
    if quality is not None:
        case.reply_score, case.reply_weak, case.reply_issues = quality.overall, quality.weak, quality.reasons
    set_stage(session, case, "evaluation", now, policy_for(session, case))
    return case


@action
def do_evaluate(
    session: Session,
    case: Case,
    actor: Actor,
    *,
    evaluation: Evaluation,
    comment: str | None = None,
    now: datetime | None = None,
) -> Case:
    """评价 by the submitter: satisfied closes; unsatisfied reopens the case for re-handling."""
    now = now or utcnow()
    target = evaluation_outcome(evaluation, case.round, get_settings().max_rehandle_rounds)
    data = {"evaluation": evaluation.value, "round": case.round}
    step(session, case, actor, "evaluate", note=comment, data=data, target=target, now=now)
    case.evaluation, case.evaluation_comment, case.evaluated_at = evaluation.value, comment, now
    if target == Status.rehandling:
        case.round += 1
        set_stage(session, case, "rehandling", now, policy_for(session, case))
    else:
        case.closed_at = now
        stop_clock(case)
    return case


@action
def do_close_unevaluated(session: Session, case: Case, actor: Actor, now: datetime | None = None) -> Case:
    """办结 without an evaluation once the evaluation period has run out."""
    step(session, case, actor, "close_unevaluated", note="评价期满，自动办结", now=now)
    case.closed_at = now or utcnow()
    stop_clock(case)
    return case


@action
def do_withdraw(
    session: Session, case: Case, actor: Actor, *, reason: str | None = None, now: datetime | None = None
) -> Case:
    """撤回 by the submitter while the case is still open."""
    step(session, case, actor, "withdraw", note=reason, now=now)
    case.closed_at = now or utcnow()
    stop_clock(case)
    return case
