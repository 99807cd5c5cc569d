"""Every write to a case: one do_* function each, one transaction, one audit event."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.access import may_grant_access
from minyi.accounts.actor import Actor
from minyi.accounts.models import User
from minyi.cases.events import append_event
from minyi.cases.models import Case, CaseGrant, CoHandler, ExtensionRequest
from minyi.cases.quality import assess_reply
from minyi.cases.rules import (
    TERMINAL,
    Channel,
    Evaluation,
    Kind,
    Status,
    check_transition,
    evaluation_outcome,
)
from minyi.db import utcnow
from minyi.deadlines.clock import (
    calendar,
    policy_for,
    retime_handling_due,
    retime_open_stage,
    set_stage,
    stop_clock,
)
from minyi.deadlines.models import EscalationNotice
from minyi.deadlines.rules import check_extension, clock_start
from minyi.departments.models import Department
from minyi.errors import Conflict, InvalidInput, InvalidTransition, NotFound, NotPermitted
from minyi.settings import get_settings
from minyi.uow import case_action

action = case_action  # every do_* below is one unit of work with one audit event


def _same_department(case: Case, actor: Actor) -> bool:
    return actor.department_id is not None and case.department_id == actor.department_id


def _step(
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
    t = check_transition(name, Status(case.status), actor.role, same_department=_same_department(case, actor))
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
    _step(session, case, actor, "accept", note=note, now=now)
    case.accepted_at = now
    set_stage(session, case, "handling", now, policy_for(session, case))
    return case


@action
def do_decline(
    session: Session, case: Case, actor: Actor, *, reason: str, now: datetime | None = None
) -> Case:
    """不予受理, with the reason the submitter will see."""
    _step(session, case, actor, "decline", note=reason, now=now)
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
    _step(session, case, actor, "assign", note=note, data={"department_id": department_id, "co": co}, now=now)
    case.department_id = department_id
    case.assigned_at = now
    for old in session.scalars(select(CoHandler).where(CoHandler.case_id == case.id)):
        session.delete(old)
    session.add_all(CoHandler(case_id=case.id, department_id=d) for d in co)
    set_stage(session, case, "sign_for", now, policy_for(session, case))
    return case


def _resume_handling(session: Session, case: Case) -> None:
    start = clock_start(case.registered_at, case.accepted_at)
    set_stage(session, case, "handling", start, policy_for(session, case), case.extension_days)


@action
def do_sign_for(
    session: Session, case: Case, actor: Actor, *, note: str | None = None, now: datetime | None = None
) -> Case:
    """签收: the department takes the case; the handling clock (counted from acceptance) governs."""
    _step(session, case, actor, "sign_for", note=note, now=now)
    case.signed_at = now or utcnow()
    _resume_handling(session, case)
    return case


@action
def do_return(
    session: Session, case: Case, actor: Actor, *, reason: str, now: datetime | None = None
) -> Case:
    """退回: not our business, with a reason; back to dispatch, visible to supervisors as a dispute."""
    dept = case.department_id
    _step(session, case, actor, "return", note=reason, data={"department_id": dept}, now=now)
    case.return_reason = reason
    case.department_id = None
    _resume_handling(session, case)
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
    _step(session, case, actor, "reply", note=text, data=data, now=now)
    case.reply_text = text
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
    _step(session, case, actor, "evaluate", note=comment, data=data, target=target, now=now)
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
    _step(session, case, actor, "close_unevaluated", note="评价期满，自动办结", now=now)
    case.closed_at = now or utcnow()
    stop_clock(case)
    return case


@action
def do_request_extension(
    session: Session, case: Case, actor: Actor, *, days: int, reason: str, now: datetime | None = None
) -> ExtensionRequest:
    """延期申请 by the department; a supervisor decides."""
    check_extension(days, case.extension_days, policy_for(session, case))
    pending = session.scalar(
        select(ExtensionRequest.id).where(
            ExtensionRequest.case_id == case.id, ExtensionRequest.status == "pending"
        )
    )
    if pending is not None:
        raise Conflict("已有待审批的延期申请", "an extension request is already pending", field="days")
    _step(session, case, actor, "request_extension", note=reason, data={"days": days}, public=False, now=now)
    req = ExtensionRequest(case_id=case.id, days=days, reason=reason, requested_by=actor.user_id)
    session.add(req)
    session.flush()
    return req


@action
def do_decide_extension(
    session: Session,
    case: Case,
    actor: Actor,
    *,
    request_id: int,
    approve: bool,
    note: str | None = None,
    now: datetime | None = None,
) -> ExtensionRequest:
    """Approve or refuse an extension; approved days move the current deadline (at most 30 in total)."""
    req = session.get(ExtensionRequest, request_id)
    if req is None or req.case_id != case.id:
        raise NotFound("延期申请", "extension request")
    if req.status != "pending":
        raise InvalidTransition(
            "该延期申请已审批", "this extension request was already decided", field="request_id"
        )
    policy = policy_for(session, case)
    if approve:
        check_extension(req.days, case.extension_days, policy)
    data = {"request_id": req.id, "days": req.days, "approved": approve}
    _step(session, case, actor, "decide_extension", note=note, data=data, now=now)
    req.status = "approved" if approve else "refused"
    req.decided_by, req.decided_at, req.decision_note = actor.user_id, now or utcnow(), note
    if approve:
        case.extension_days += req.days
        if case.stage == "rehandling":
            set_stage(session, case, "rehandling", case.evaluated_at or utcnow(), policy, case.extension_days)
        elif case.stage == "handling":
            _resume_handling(session, case)
        else:  # sign-for stage: only the handling deadline moves; the sign-for clock stays
            retime_handling_due(session, case, policy)
    return req


@action
def do_merge(
    session: Session,
    case: Case,
    actor: Actor,
    *,
    master: Case,
    note: str | None = None,
    now: datetime | None = None,
) -> Case:
    """并案: this duplicate follows the master case; its submitter still sees their own case."""
    if master.id == case.id:
        raise InvalidInput("不能与自身并案", "a case cannot be merged into itself", field="master_case_id")
    if master.status in TERMINAL:
        raise InvalidTransition(
            "主案件已结束，不能并入", "the master case is finished", field="master_case_id"
        )
    if master.master_case_id is not None:
        raise InvalidTransition(
            "主案件本身已被并案", "the master case was itself merged", field="master_case_id"
        )
    _step(session, case, actor, "merge", note=note, data={"master": master.tracking_code}, now=now)
    case.master_case_id = master.id
    stop_clock(case)
    for child in session.scalars(select(Case).where(Case.master_case_id == case.id)):
        child.master_case_id = master.id
    return case


@action
def do_withdraw(
    session: Session, case: Case, actor: Actor, *, reason: str | None = None, now: datetime | None = None
) -> Case:
    """撤回 by the submitter while the case is still open."""
    _step(session, case, actor, "withdraw", note=reason, now=now)
    case.closed_at = now or utcnow()
    stop_clock(case)
    return case


@action
def do_supervise(
    session: Session, case: Case, actor: Actor, *, note: str | None = None, now: datetime | None = None
) -> EscalationNotice:
    """督办 issued by hand by a supervisor."""
    _step(session, case, actor, "supervise", note=note, data={"level": 2}, now=now)
    notice = EscalationNotice(
        case_id=case.id, stage=f"manual:{case.event_count}", round=case.round, level=2,
        department_id=case.department_id, due_at=case.due_at, issued_by=actor.user_id, note=note,
    )  # fmt: skip
    session.add(notice)
    return notice


@action
def do_add_note(
    session: Session, case: Case, actor: Actor, *, note: str, now: datetime | None = None
) -> Case:
    """An internal note on the record (not public)."""
    _step(session, case, actor, "note", note=note, public=False, now=now)
    return case


@action
def do_correct_understanding(
    session: Session,
    case: Case,
    actor: Actor,
    *,
    topic_code: str | None = None,
    suggested_department_id: int | None = None,
    urgent: bool | None = None,
    kind: str | None = None,
    channel: str | None = None,
    note: str | None = None,
    now: datetime | None = None,
) -> Case:
    """Staff correct the topic, suggested department, urgency, kind or channel; the correction is on the record,
    and a change of kind, channel or urgency re-times the open stage (its deadline policy may differ)."""
    from minyi.taxonomy import load_taxonomy

    if topic_code is not None and load_taxonomy().get(topic_code) is None:
        raise InvalidInput("问题分类代码不存在", "unknown topic code", field="topic_code")
    if suggested_department_id is not None and session.get(Department, suggested_department_id) is None:
        raise InvalidInput("单位不存在", "unknown department", field="suggested_department_id")
    if kind is not None and kind not in tuple(Kind):
        raise InvalidInput("诉求性质无效", "unknown kind", field="kind")
    if channel is not None and channel not in tuple(Channel):
        raise InvalidInput("渠道无效", "unknown channel", field="channel")
    kind, channel = (str(v) if v is not None else None for v in (kind, channel))
    check_transition(
        "correct", Status(case.status), actor.role, same_department=_same_department(case, actor)
    )
    fields = ("topic_code", "suggested_department_id", "urgent", "kind", "channel")
    before = {name: getattr(case, name) for name in fields}
    given = dict(zip(fields, (topic_code, suggested_department_id, urgent, kind, channel), strict=True))
    for name, value in given.items():
        if value is not None:
            setattr(case, name, value)
    after = {name: getattr(case, name) for name in fields}
    if any(before[name] != after[name] for name in ("urgent", "kind", "channel")):
        retime_open_stage(session, case)
    case.version += 1
    data = {"before": _renamed(before), "after": _renamed(after), "model_version": case.topic_model_version}
    append_event(
        session, case, actor, "correct", case.status, case.status, note=note, data=data, public=False
    )
    return case


def _renamed(values: dict[str, Any]) -> dict[str, Any]:
    """The correction record keeps its historical key "department" for the suggested department."""
    out = dict(values)
    out["department"] = out.pop("suggested_department_id")
    return out


@action
def do_grant_access(
    session: Session, case: Case, actor: Actor, *, user_id: int, now: datetime | None = None
) -> Case:
    """Let one more member of staff see a confidential case."""
    check_transition("grant", Status(case.status), actor.role)
    if not may_grant_access(actor):
        raise NotPermitted("无权授权", "only cleared staff may grant access")
    if session.get(User, user_id) is None:
        raise InvalidInput("用户不存在", "unknown user", field="user_id")
    if session.get(CaseGrant, (case.id, user_id)) is None:
        session.add(CaseGrant(case_id=case.id, user_id=user_id))
        append_event(
            session, case, actor, "grant", case.status, case.status, data={"user_id": user_id}, public=False
        )
    return case
