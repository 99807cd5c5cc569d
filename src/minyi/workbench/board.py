"""The supervisor board: late and soon-late cases by department, disputed returns, escalations, urgent flags."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from starlette.datastructures import FormData

from minyi.access import may_manage_consultation
from minyi.accountability.risk_queries import board_risks
from minyi.alerts.actions import do_acknowledge_alert, open_alerts
from minyi.cases.rules import Status
from minyi.db import utcnow
from minyi.deadlines.queries import uncovered_years
from minyi.deps import SessionDep
from minyi.fields import Id
from minyi.learning.drift import weekly_understanding
from minyi.locale import pick
from minyi.suggestions import labels  # noqa: F401 - registers the suggestion labels the panel shows
from minyi.suggestions.queries import key_items
from minyi.web.auth import StaffPage, current_staff, require_role
from minyi.web.forms import text
from minyi.web.rendering import PageRoute, redirect, render
from minyi.web.signing import check_csrf
from minyi.workbench.insight_panels import hot_issues, weak_replies
from minyi.workbench.queries import (
    LATE_STATUSES,
    UNASSIGNED,
    board_by_department,
    cases_in,
    departments,
    late_cases,
    recent_notices,
)

router = APIRouter(route_class=PageRoute)
Form = Annotated[FormData, Depends(check_csrf)]


LATE_PER_PAGE = 10


@router.get("/board")
def supervisor_board(
    request: Request, session: SessionDep, actor: StaffPage, dept: int | None = None, page: int = 1
) -> Response:
    """What a supervisor must see first: late cases counted by department, then one department's late cases
    a page at a time, with one click to issue a 督办 notice on each."""
    require_role(actor, "supervisor", "intake")
    now = utcnow()
    names = {d.id: pick(d.name, d.name_en or d.name) for d in departments(session, active_only=False)}
    lines = board_by_department(session, actor, now)
    if dept is None:  # the department with the most late cases first
        dept = next((line.department_id or UNASSIGNED for line in lines if line.late), UNASSIGNED)
    page = max(1, min(page, 1000))
    late, late_total = late_cases(session, actor, now, dept, page, LATE_PER_PAGE)
    context = {
        "now": now,
        "lines": lines,
        "late": late,
        "late_dept": dept,
        "late_page": page,
        "late_pages": (late_total + LATE_PER_PAGE - 1) // LATE_PER_PAGE,
        "late_total": late_total,
        "returned": cases_in(session, actor, [Status.returned.value]),
        "urgent": cases_in(session, actor, LATE_STATUSES, urgent=True),
        "notices": recent_notices(session, actor),
        "dept_names": names,
        "can_supervise": actor.role.value in ("supervisor", "admin"),
        "can_consult": may_manage_consultation(actor, actor.department_id),
        "alerts": open_alerts(session, actor),
        "weak": weak_replies(session, actor, now),
        "uncovered_years": uncovered_years(session, now),
        "drift": weekly_understanding(session, now),
        "key_items": key_items(session, actor),
        "risks": board_risks(session, now) if actor.role.value in ("supervisor", "admin") else [],
    }
    return render(request, "workbench/board.html", context)


@router.get("/board/hot")
def board_hot_issues(request: Request, session: SessionDep, actor: StaffPage) -> Response:
    """The board's hot-issue ranking on its own: loaded by htmx after the board (its first run is slow on a
    cold process), or opened from the board's link without JavaScript."""
    require_role(actor, "supervisor", "intake")
    context = {
        "hot": hot_issues(session, actor, utcnow()),
        "can_consult": may_manage_consultation(actor, actor.department_id),
        "htmx": request.headers.get("hx-request") == "true",
    }
    return render(request, "workbench/board_hot.html", context)


@router.post("/board/alerts/{alert_id}/ack")
def acknowledge_alert(request: Request, session: SessionDep, form: Form, alert_id: Id) -> Response:
    """A supervisor acknowledges an alert, with a note on what is being done."""
    actor = current_staff(request, session)
    do_acknowledge_alert(session, actor, alert_id, text(form, "note") or None)
    return redirect("/staff/board?done=ack#alerts")
