"""JSON API of the case slice: public submission and tracking, staff actions and work queues. Thin."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from pydantic import BaseModel
from sqlalchemy import func, select

from minyi.cases import public
from minyi.cases.commands import CITIZEN_COMMANDS, STAFF_COMMANDS, CaseCommand, execute, execute_citizen
from minyi.cases.models import Case
from minyi.cases.present import public_view, public_views, staff_view
from minyi.cases.queries import QueueFilter, access_case_by_id, access_case_by_tracking_code, list_queue
from minyi.cases.schemas import EvaluationIn, NoteIn, Page, PublicCase, StaffCase
from minyi.deps import PublicSessionDep, SessionDep, StaffCredentials, StaffDep
from minyi.fields import CaseIdInPath, Id
from minyi.ratelimit.public import check_public

router = APIRouter(tags=["cases"])
IfMatch = Annotated[int | None, Header(alias="If-Match", description="the case version you loaded")]
CaseId = CaseIdInPath  # any integer: one that names no case (however large) is a 404 like one you may not see


@router.get("/cases/{tracking_code}", response_model=PublicCase)
def track_case(request: Request, tracking_code: str, session: SessionDep) -> PublicCase:
    """What the submitter may see: status, current deadline, reply and the public history (lookups are limited
    per address: 429 with Retry-After)."""
    check_public(request, session, "track")
    return public_view(session, access_case_by_tracking_code(session, tracking_code), with_code=True)


@router.post("/cases/{tracking_code}/evaluation", response_model=PublicCase)
def evaluate_case(
    tracking_code: str, body: EvaluationIn, session: SessionDep, staff_credentials: StaffCredentials
) -> PublicCase:
    """The submitter judges the reply; 不满意 reopens the case for re-handling (refused to staff credentials)."""
    command = CITIZEN_COMMANDS["evaluate"]
    case = execute_citizen(session, tracking_code, command, body, staff_credentials=staff_credentials)
    return public_view(session, case, with_code=True)


@router.post("/cases/{tracking_code}/withdrawal", response_model=PublicCase)
def withdraw_case(
    tracking_code: str, body: NoteIn, session: SessionDep, staff_credentials: StaffCredentials
) -> PublicCase:
    """The submitter takes the demand back (refused to staff credentials)."""
    command = CITIZEN_COMMANDS["withdraw"]
    case = execute_citizen(session, tracking_code, command, body, staff_credentials=staff_credentials)
    return public_view(session, case, with_code=True)


@router.get("/public/cases", response_model=list[PublicCase])
def list_public_cases(
    session: PublicSessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    before_id: Annotated[Id | None, Query()] = None,
) -> list[PublicCase]:
    """Open data: public cases and replies once accepted, newest first, personal data masked."""
    return public_views(session, public.list_public_cases(session, limit=limit, before_id=before_id))


# ---- staff ---------------------------------------------------------------------------------------


@router.get("/staff/queue", response_model=Page)
def work_queue(
    actor: StaffDep,
    session: SessionDep,
    queue: Annotated[
        str, Query(pattern="^(to_sign|mine|overdue|dispatch|returned|triage|urgent|all)$")
    ] = "mine",
    status_: Annotated[str | None, Query(alias="status")] = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Page:
    """A work queue by due date: to sign for, mine, overdue, awaiting dispatch, disputed returns, triage, urgent."""
    f = QueueFilter(queue=queue, status=status_, q=q, page=page, per_page=per_page)
    items, total = list_queue(session, actor, f)
    return Page(
        items=[staff_view(session, c, actor, in_list=True) for c in items],
        total=total,
        page=page,
        per_page=per_page,
    )


@router.get("/staff/cases/{case_id}", response_model=StaffCase)
def get_case(case_id: CaseId, actor: StaffDep, session: SessionDep) -> StaffCase:
    """One case as staff see it (404 when it does not exist or is not yours to see)."""
    return staff_view(session, access_case_by_id(session, actor, case_id), actor)


def _staff_route(command: CaseCommand) -> None:
    """POST /staff/cases/{case_id}/<path>: one route per staff command, dispatched through the command table."""

    def endpoint(
        case_id: CaseId, body: BaseModel, actor: StaffDep, session: SessionDep, version: IfMatch = None
    ) -> StaffCase:
        case = execute(session, actor, case_id, command, body, expected_version=version)
        return staff_view(session, case, actor)

    endpoint.__annotations__["body"] = command.schema  # the command's own input schema, in the OpenAPI too
    router.add_api_route(
        f"/staff/cases/{{case_id}}/{command.path}", endpoint, methods=["POST"], response_model=StaffCase,
        summary=command.summary, name=f"case_{command.name}", operation_id=f"case_{command.name}",
    )  # fmt: skip


for _command in STAFF_COMMANDS.values():
    _staff_route(_command)


@router.get("/staff/stats", tags=["cases"])
def stats(actor: StaffDep, session: SessionDep) -> dict[str, int]:
    """Counts of cases by status (for dashboards)."""
    rows = session.execute(select(Case.status, func.count()).group_by(Case.status)).all()
    return {str(s): int(n) for s, n in rows}
