"""The learning loop for administrators: staff corrections, model versions and their figures, rollback."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from starlette.datastructures import FormData

from minyi.deps import SessionDep
from minyi.errors import MinyiError
from minyi.learning.actions import do_rollback_model
from minyi.learning.queries import summary, urgency_summary
from minyi.locale import pick
from minyi.nlp import registry
from minyi.uow import end_read
from minyi.web.auth import StaffPage, require_role
from minyi.web.forms import text
from minyi.web.rendering import PageRoute, redirect, render
from minyi.web.signing import check_csrf

router = APIRouter(prefix="/admin/learning", route_class=PageRoute)
MAX_REASON = 500
Form = Annotated[FormData, Depends(check_csrf)]


def learning_page(
    request: Request, session: SessionDep, error: str | None = None, status: int = 200
) -> Response:
    """Corrections (how many, the latest twenty), every model version with its held-out figures, the active one."""
    context = {
        "learning": summary(session, registry.read()),
        "urgency": urgency_summary(session, registry.read("urgency")),
        "shipped": registry.SHIPPED,
        "error": error,
    }
    end_read(session)
    return render(request, "learning/learning.html", context, status=status)


@router.get("")
def learning_home(request: Request, session: SessionDep, actor: StaffPage) -> Response:
    """Administrators only."""
    require_role(actor, "admin")
    return learning_page(request, session)


@router.post("/rollback")
def learning_rollback(request: Request, session: SessionDep, actor: StaffPage, form: Form) -> Response:
    """Make an earlier version (or the shipped model; for urgency, the rules) active again."""
    require_role(actor, "admin")
    try:
        reason = text(form, "reason")[:MAX_REASON] or None
        kind = text(form, "kind") or "topic"
        do_rollback_model(session, actor, version=text(form, "version"), reason=reason, kind=kind)
    except MinyiError as exc:
        return learning_page(request, session, pick(exc.message_zh, exc.message_en), exc.status)
    return redirect("/staff/admin/learning?done=rollback")
