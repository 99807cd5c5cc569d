"""JSON API of the case slice: public submission and tracking, staff actions and work queues. Thin."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response, status
from sqlalchemy import func, select

from minyi.accounts.actor import CITIZEN, Actor
from minyi.cases import actions, public
from minyi.cases.intake import do_submit_case
from minyi.cases.models import Case
from minyi.cases.present import public_view, public_views, staff_view
from minyi.cases.queries import QueueFilter, access_case_by_id, access_case_by_tracking_code, list_queue
from minyi.cases.rules import Role
from minyi.cases.schemas import (
    AssignIn,
    CaseSubmission,
    CorrectionIn,
    EvaluationIn,
    ExtensionDecisionIn,
    ExtensionIn,
    MergeIn,
    NoteIn,
    Page,
    PublicCase,
    ReasonIn,
    ReplyIn,
    StaffCase,
)
from minyi.deps import SessionDep, StaffDep
from minyi.errors import Forbidden, InvalidInput

router = APIRouter(tags=["cases"])
IfMatch = Annotated[int | None, Header(alias="If-Match", description="the case version you loaded")]


def _contact_allowed(actor: Actor, case: Case) -> bool:
    if actor.role in (Role.intake, Role.supervisor, Role.admin):
        return True
    return actor.department_id is not None and actor.department_id == case.department_id


@router.post("/cases", status_code=status.HTTP_201_CREATED, response_model=PublicCase)
def submit_case(
    body: CaseSubmission,
    session: SessionDep,
    response: Response,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)] = None,
) -> PublicCase:
    """Submit a demand; keep the tracking code in the answer to follow and evaluate it."""
    case, created = do_submit_case(session, body, idempotency_key=idempotency_key)
    if not created:
        response.status_code = status.HTTP_200_OK
    response.headers["Location"] = f"/api/v1/cases/{case.tracking_code}"
    return public_view(session, case, with_code=True)


@router.get("/cases/{tracking_code}", response_model=PublicCase)
def track_case(tracking_code: str, session: SessionDep) -> PublicCase:
    """What the submitter may see: status, current deadline, reply and the public history."""
    return public_view(session, access_case_by_tracking_code(session, tracking_code), with_code=True)


@router.post("/cases/{tracking_code}/evaluation", response_model=PublicCase)
def evaluate_case(tracking_code: str, body: EvaluationIn, session: SessionDep) -> PublicCase:
    """The submitter judges the reply; 不满意 reopens the case for re-handling."""
    case = access_case_by_tracking_code(session, tracking_code, for_update=True)
    actions.do_evaluate(session, case, CITIZEN, evaluation=body.evaluation, comment=body.comment)
    return public_view(session, case, with_code=True)


@router.post("/cases/{tracking_code}/withdrawal", response_model=PublicCase)
def withdraw_case(tracking_code: str, body: NoteIn, session: SessionDep) -> PublicCase:
    """The submitter takes the demand back."""
    case = access_case_by_tracking_code(session, tracking_code, for_update=True)
    actions.do_withdraw(session, case, CITIZEN, reason=body.note)
    return public_view(session, case, with_code=True)


@router.get("/public/cases", response_model=list[PublicCase])
def list_public_cases(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    before_id: Annotated[int | None, Query(ge=1)] = None,
) -> list[PublicCase]:
    """Open data: public cases and replies once accepted, newest first, personal data masked."""
    return public_views(session, public.list_public_cases(session, limit=limit, before_id=before_id))


# ---- staff ---------------------------------------------------------------------------------------


@router.post("/staff/cases", status_code=status.HTTP_201_CREATED, response_model=StaffCase)
def register_case(
    body: CaseSubmission,
    actor: StaffDep,
    session: SessionDep,
    response: Response,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)] = None,
) -> StaffCase:
    """An intake operator registers a demand taken by phone, letter, visit or from a deputy (the operator is on the record)."""
    if actor.role not in (Role.intake, Role.supervisor, Role.admin):
        raise Forbidden("仅受理人员可登记诉求", "only intake staff register cases")
    case, created = do_submit_case(session, body, actor=actor, idempotency_key=idempotency_key)
    if not created:
        response.status_code = status.HTTP_200_OK
    return staff_view(session, case, with_contact=True)


@router.get("/staff/queue", response_model=Page)
def work_queue(
    actor: StaffDep,
    session: SessionDep,
    queue: Annotated[str, Query(pattern="^(mine|overdue|dispatch|returned|triage|urgent|all)$")] = "mine",
    status_: Annotated[str | None, Query(alias="status")] = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Page:
    """A work queue by due date: mine, overdue, awaiting dispatch, disputed returns, triage, urgent."""
    f = QueueFilter(queue=queue, status=status_, q=q, page=page, per_page=per_page)
    items, total = list_queue(session, actor, f)
    return Page(
        items=[staff_view(session, c, with_contact=False) for c in items],
        total=total,
        page=page,
        per_page=per_page,
    )


@router.get("/staff/cases/{case_id}", response_model=StaffCase)
def get_case(case_id: int, actor: StaffDep, session: SessionDep) -> StaffCase:
    """One case as staff see it (404 when it does not exist or is not yours to see)."""
    case = access_case_by_id(session, actor, case_id)
    return staff_view(session, case, with_contact=_contact_allowed(actor, case))


def _act(session: Any, actor: Actor, case_id: int, fn: Any, version: int | None, **kwargs: Any) -> StaffCase:
    case = access_case_by_id(session, actor, case_id, for_update=True)
    fn(session, case, actor, expected_version=version, **kwargs)
    return staff_view(session, case, with_contact=_contact_allowed(actor, case))


@router.post("/staff/cases/{case_id}/accept", response_model=StaffCase)
def accept(
    case_id: int, body: NoteIn, actor: StaffDep, session: SessionDep, version: IfMatch = None
) -> StaffCase:
    return _act(session, actor, case_id, actions.do_accept, version, note=body.note)


@router.post("/staff/cases/{case_id}/decline", response_model=StaffCase)
def decline(
    case_id: int, body: ReasonIn, actor: StaffDep, session: SessionDep, version: IfMatch = None
) -> StaffCase:
    return _act(session, actor, case_id, actions.do_decline, version, reason=body.reason)


@router.post("/staff/cases/{case_id}/assign", response_model=StaffCase)
def assign(
    case_id: int, body: AssignIn, actor: StaffDep, session: SessionDep, version: IfMatch = None
) -> StaffCase:
    return _act(session, actor, case_id, actions.do_assign, version, department_id=body.department_id,
                co_handler_ids=body.co_handler_ids, note=body.note)  # fmt: skip


@router.post("/staff/cases/{case_id}/sign-for", response_model=StaffCase)
def sign_for(
    case_id: int, body: NoteIn, actor: StaffDep, session: SessionDep, version: IfMatch = None
) -> StaffCase:
    return _act(session, actor, case_id, actions.do_sign_for, version, note=body.note)


@router.post("/staff/cases/{case_id}/return", response_model=StaffCase)
def return_case(
    case_id: int, body: ReasonIn, actor: StaffDep, session: SessionDep, version: IfMatch = None
) -> StaffCase:
    return _act(session, actor, case_id, actions.do_return, version, reason=body.reason)


@router.post("/staff/cases/{case_id}/reply", response_model=StaffCase)
def reply(
    case_id: int, body: ReplyIn, actor: StaffDep, session: SessionDep, version: IfMatch = None
) -> StaffCase:
    return _act(
        session, actor, case_id, actions.do_reply, version, text=body.text, confirm_weak=body.confirm_weak
    )


@router.post("/staff/cases/{case_id}/extension", response_model=StaffCase)
def request_extension(
    case_id: int, body: ExtensionIn, actor: StaffDep, session: SessionDep, version: IfMatch = None
) -> StaffCase:
    return _act(
        session, actor, case_id, actions.do_request_extension, version, days=body.days, reason=body.reason
    )


@router.post("/staff/cases/{case_id}/extension/decision", response_model=StaffCase)
def decide_extension(
    case_id: int, body: ExtensionDecisionIn, actor: StaffDep, session: SessionDep, version: IfMatch = None
) -> StaffCase:
    return _act(session, actor, case_id, actions.do_decide_extension, version, request_id=body.request_id,
                approve=body.approve, note=body.note)  # fmt: skip


@router.post("/staff/cases/{case_id}/merge", response_model=StaffCase)
def merge(
    case_id: int, body: MergeIn, actor: StaffDep, session: SessionDep, version: IfMatch = None
) -> StaffCase:
    try:
        master = access_case_by_id(session, actor, body.master_case_id, for_update=True)
    except Exception as exc:
        raise InvalidInput("主案件不存在", "master case not found", field="master_case_id") from exc
    return _act(session, actor, case_id, actions.do_merge, version, master=master, note=body.note)


@router.post("/staff/cases/{case_id}/supervise", response_model=StaffCase)
def supervise(
    case_id: int, body: NoteIn, actor: StaffDep, session: SessionDep, version: IfMatch = None
) -> StaffCase:
    return _act(session, actor, case_id, actions.do_supervise, version, note=body.note)


@router.post("/staff/cases/{case_id}/notes", response_model=StaffCase)
def add_note(
    case_id: int, body: ReasonIn, actor: StaffDep, session: SessionDep, version: IfMatch = None
) -> StaffCase:
    return _act(session, actor, case_id, actions.do_add_note, version, note=body.reason)


@router.post("/staff/cases/{case_id}/correction", response_model=StaffCase)
def correct(
    case_id: int, body: CorrectionIn, actor: StaffDep, session: SessionDep, version: IfMatch = None
) -> StaffCase:
    return _act(session, actor, case_id, actions.do_correct_understanding, version, topic_code=body.topic_code,
                suggested_department_id=body.suggested_department_id, urgent=body.urgent, note=body.note)  # fmt: skip


@router.get("/staff/stats", tags=["cases"])
def stats(actor: StaffDep, session: SessionDep) -> dict[str, int]:
    """Counts of cases by status (for dashboards)."""
    rows = session.execute(select(Case.status, func.count()).group_by(Case.status)).all()
    return {str(s): int(n) for s, n in rows}
