"""The administrators' view of the understanding job queue: the dead letters (jobs that failed every attempt)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from minyi.deps import SessionDep
from minyi.understanding.jobs import MAX_ATTEMPTS, dead_jobs, uses_queue
from minyi.uow import end_read
from minyi.web.auth import StaffPage, require_role
from minyi.web.rendering import PageRoute, render

router = APIRouter(prefix="/staff/jobs", route_class=PageRoute, include_in_schema=False)


@router.get("")
def jobs_page(request: Request, session: SessionDep, actor: StaffPage) -> Response:
    """Understanding jobs that failed every attempt, newest first (administrators)."""
    require_role(actor, "admin")
    context = {"dead": dead_jobs(session), "queue": uses_queue(session), "max_attempts": MAX_ATTEMPTS}
    end_read(session)
    return render(request, "understanding/jobs.html", context)
