"""The administrators' view of the understanding job queue: the dead letters (jobs that failed every attempt)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse

from minyi.deps import SessionDep
from minyi.settings import get_settings
from minyi.understanding.actions import do_clear_dead_jobs
from minyi.understanding.jobs import MAX_ATTEMPTS, dead_jobs, uses_queue
from minyi.uow import end_read
from minyi.web.auth import StaffPage, require_role
from minyi.web.rendering import PageRoute, render
from minyi.web.signing import check_csrf

router = APIRouter(prefix="/staff/jobs", route_class=PageRoute, include_in_schema=False)


@router.get("")
def jobs_page(request: Request, session: SessionDep, actor: StaffPage) -> Response:
    """Understanding jobs that failed every attempt, newest first (administrators)."""
    require_role(actor, "admin")
    context = {"dead": dead_jobs(session), "queue": uses_queue(session), "max_attempts": MAX_ATTEMPTS,
               "keep_hours": get_settings().jobs_keep_hours}  # fmt: skip
    end_read(session)
    return render(request, "understanding/jobs.html", context)


@router.post("/clear", dependencies=[Depends(check_csrf)])
def clear_dead_jobs(session: SessionDep, actor: StaffPage) -> Response:
    """Clear the dead-letter list (administrators), then back to it."""
    require_role(actor, "admin")
    do_clear_dead_jobs(session, actor)
    return RedirectResponse("/staff/jobs", status_code=303)
