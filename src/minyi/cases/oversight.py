"""Case actions around the main path: extensions, merges, supervision notices, notes, corrections, grants.

Each is one unit of work with one audit event, like those in `actions.py` (the lifecycle's main path).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.access import may_grant_access
from minyi.accounts.actor import Actor
from minyi.accounts.models import User
from minyi.cases.actions import resume_handling, same_department, step
from minyi.cases.events import append_event
from minyi.cases.models import Case, CaseGrant, ExtensionRequest
from minyi.cases.rules import (
    TERMINAL,
    Channel,
    Kind,
    Status,
    check_transition,
)
from minyi.db import utcnow
from minyi.deadlines.clock import (
    policy_for,
    retime_handling_due,
    retime_open_stage,
    set_stage,
    stop_clock,
)
from minyi.deadlines.models import EscalationNotice
from minyi.deadlines.rules import check_extension
from minyi.departments.models import Department
from minyi.errors import Conflict, InvalidInput, InvalidTransition, NotFound, NotPermitted
from minyi.uow import case_action

action = case_action


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
    step(session, case, actor, "request_extension", note=reason, data={"days": days}, public=False, now=now)
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
    step(session, case, actor, "decide_extension", note=note, data=data, now=now)
    req.status = "approved" if approve else "refused"
    req.decided_by, req.decided_at, req.decision_note = actor.user_id, now or utcnow(), note
    if approve:
        case.extension_days += req.days
        if case.stage == "rehandling":
            set_stage(session, case, "rehandling", case.evaluated_at or utcnow(), policy, case.extension_days)
        elif case.stage == "handling":
            resume_handling(session, case)
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
    step(session, case, actor, "merge", note=note, data={"master": master.tracking_code}, now=now)
    case.master_case_id = master.id
    stop_clock(case)
    for child in session.scalars(select(Case).where(Case.master_case_id == case.id)):
        child.master_case_id = master.id
    return case


@action
def do_supervise(
    session: Session, case: Case, actor: Actor, *, note: str | None = None, now: datetime | None = None
) -> EscalationNotice:
    """督办 issued by hand by a supervisor."""
    step(session, case, actor, "supervise", note=note, data={"level": 2}, now=now)
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
    step(session, case, actor, "note", note=note, public=False, now=now)
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
    check_transition("correct", Status(case.status), actor.role, same_department=same_department(case, actor))
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
    data = {
        "before": _renamed(before),
        "after": _renamed(after),
        "model_version": case.topic_model_version,
        "urgency_model_version": case.urgency_model_version,
    }
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
