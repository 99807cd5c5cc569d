"""The public side of notifications: the unsubscribe link every message carries, and the "tell me" forms
(subscribe, then confirm by the link sent to the address). Thin."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from starlette.datastructures import FormData

from minyi.deps import SessionDep
from minyi.notifications.choices import do_unsubscribe, recipient_of
from minyi.notifications.subscriptions import confirmable, do_confirm, do_follow, follow_in
from minyi.ratelimit.public import check_public
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


@router.post("/follow")
def follow(request: Request, session: SessionDep, form: Form) -> Response:
    """Subscribe to the form's topic; nothing is sent but the confirmation until the address's owner confirms."""
    body = follow_in(text(form, "channel"), text(form, "address"), text(form, "language"))
    check_public(request, session, "follow", field="address")
    do_follow(session, text(form, "t"), body)
    return render(request, "notifications/follow.html", {"state": "check"})


@router.get("/confirm")
def confirm_form(request: Request, session: SessionDep, t: str = "") -> Response:
    """Ask before confirming (a mail scanner that follows links must not confirm for anyone)."""
    confirmable(session, t)
    return render(request, "notifications/follow.html", {"state": "confirm", "token": t})


@router.post("/confirm")
def confirm(request: Request, session: SessionDep, form: Form) -> Response:
    """The address's owner confirms the subscription."""
    do_confirm(session, text(form, "t"))
    return render(request, "notifications/follow.html", {"state": "confirmed"})
