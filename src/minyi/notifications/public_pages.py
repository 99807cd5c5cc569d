"""The public side of notifications: the unsubscribe link every message carries. Thin."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from starlette.datastructures import FormData

from minyi.deps import SessionDep
from minyi.notifications.choices import do_unsubscribe, recipient_of
from minyi.web.forms import text
from minyi.web.rendering import PageRoute, render
from minyi.web.signing import check_csrf

router = APIRouter(prefix="/notify", route_class=PageRoute, include_in_schema=False)
Form = Annotated[FormData, Depends(check_csrf)]


@router.get("/unsubscribe")
def unsubscribe_form(request: Request, t: str = "") -> Response:
    """Ask before stopping (a mail scanner that follows links must not unsubscribe anyone)."""
    recipient_of(t)
    return render(request, "notifications/unsubscribe.html", {"token": t, "done": False})


@router.post("/unsubscribe")
def unsubscribe(request: Request, session: SessionDep, form: Form) -> Response:
    """Stop every further message to the link's recipient."""
    do_unsubscribe(session, text(form, "t"))
    return render(request, "notifications/unsubscribe.html", {"token": "", "done": True})
