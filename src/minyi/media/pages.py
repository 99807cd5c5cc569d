"""The media intake queue (workbench): candidates from the feeds, accepted as cases or dismissed with a reason."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from starlette.datastructures import FormData

from minyi.access import DISPATCH
from minyi.cases.rules import Kind
from minyi.deps import SessionDep
from minyi.errors import InvalidInput, MinyiError, NotFound
from minyi.locale import pick
from minyi.media.actions import do_accept_candidate, do_dismiss_candidate
from minyi.media.queries import intake_queue
from minyi.web.auth import StaffPage, current_staff
from minyi.web.forms import text
from minyi.web.rendering import PageRoute, redirect, render
from minyi.web.signing import check_csrf

router = APIRouter(prefix="/staff/media", route_class=PageRoute, include_in_schema=False)
Form = Annotated[FormData, Depends(check_csrf)]


def _queue(request: Request, session: SessionDep, error: str | None = None, status: int = 200) -> Response:
    context = {"rows": intake_queue(session), "kinds": [k.value for k in Kind], "error": error}
    return render(request, "media/queue.html", context, status=status)


@router.get("")
def queue(request: Request, session: SessionDep, actor: StaffPage) -> Response:
    """Candidates waiting for intake (dispatch staff only; others are told it does not exist)."""
    if actor.role not in DISPATCH:
        raise NotFound("页面", "page")
    return _queue(request, session)


@router.post("/{candidate_id}/{decision}")
def decide(request: Request, session: SessionDep, form: Form, candidate_id: int, decision: str) -> Response:
    """Accept a candidate as a case, or dismiss it with a reason."""
    actor = current_staff(request, session)
    if decision not in ("accept", "dismiss") or actor.role not in DISPATCH:
        raise NotFound("页面", "page")
    try:
        if decision == "accept":
            kind = text(form, "kind") or Kind.complaint.value
            if kind not in {k.value for k in Kind}:
                raise InvalidInput("诉求性质无效", "unknown kind", field="kind")
            case = do_accept_candidate(session, actor, candidate_id, kind=Kind(kind))
            return redirect(f"/staff/cases/{case.id}" if case else "/staff/media?done=reported")
        do_dismiss_candidate(session, actor, candidate_id, reason=text(form, "reason"))
    except MinyiError as exc:
        session.rollback()
        if exc.status == 404:
            raise
        return _queue(request, session, pick(exc.message_zh, exc.message_en), exc.status)
    return redirect("/staff/media?done=dismiss")
