"""The supervisor board: late and soon-late cases by department, disputed returns, escalations, urgent flags."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from minyi.cases.rules import Status
from minyi.db import utcnow
from minyi.deps import SessionDep
from minyi.locale import pick
from minyi.portal.rendering import PageRoute, render
from minyi.workbench.auth import StaffPage, require_role
from minyi.workbench.queries import (
    LATE_STATUSES,
    board_by_department,
    cases_in,
    departments,
    late_cases,
    recent_notices,
)

router = APIRouter(route_class=PageRoute)


@router.get("/board")
def supervisor_board(request: Request, session: SessionDep, actor: StaffPage) -> Response:
    """What a supervisor must see first, with one click to issue a 督办 notice on each late case."""
    require_role(actor, "supervisor", "intake")
    now = utcnow()
    names = {d.id: pick(d.name, d.name_en or d.name) for d in departments(session, active_only=False)}
    context = {
        "now": now,
        "lines": board_by_department(session, actor, now),
        "late": late_cases(session, actor, now),
        "returned": cases_in(session, actor, [Status.returned.value]),
        "urgent": cases_in(session, actor, LATE_STATUSES, urgent=True),
        "notices": recent_notices(session, actor),
        "dept_names": names,
        "can_supervise": actor.role.value in ("supervisor", "admin"),
    }
    return render(request, "workbench/board.html", context)
