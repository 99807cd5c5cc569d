"""The administrators' page of media feeds: add, edit, disable; when each was last read and why it failed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from starlette.datastructures import FormData

from minyi.accounts.actor import Actor
from minyi.accounts.roles import Role
from minyi.deps import SessionDep
from minyi.errors import MinyiError, NotFound
from minyi.fields import Id
from minyi.locale import pick
from minyi.media.actions import do_register_feed, do_update_feed
from minyi.media.queries import all_feeds
from minyi.web.auth import StaffPage, current_staff
from minyi.web.forms import text
from minyi.web.rendering import PageRoute, redirect, render
from minyi.web.signing import check_csrf

router = APIRouter(prefix="/staff/feeds", route_class=PageRoute, include_in_schema=False)
Form = Annotated[FormData, Depends(check_csrf)]


def _admin(actor: Actor) -> None:
    if actor.role != Role.admin:
        raise NotFound("页面", "page")  # others are told it does not exist


def _page(request: Request, session: SessionDep, error: str | None = None, status: int = 200) -> Response:
    return render(request, "media/feeds.html", {"feeds": all_feeds(session), "error": error}, status=status)


@router.get("")
def feeds(request: Request, session: SessionDep, actor: StaffPage) -> Response:
    """Every registered feed with its state, last read and last error."""
    _admin(actor)
    return _page(request, session)


@router.post("")
def add_feed(request: Request, session: SessionDep, form: Form) -> Response:
    """Register a feed."""
    actor = current_staff(request, session)
    _admin(actor)
    try:
        do_register_feed(session, actor, name=text(form, "name"), url=text(form, "url"))
    except MinyiError as exc:
        session.rollback()
        return _page(request, session, pick(exc.message_zh, exc.message_en), exc.status)
    return redirect("/staff/feeds?done=add")


@router.post("/{feed_id}")
def edit_feed(request: Request, session: SessionDep, form: Form, feed_id: Id) -> Response:
    """Rename, re-point, disable or re-enable a feed."""
    actor = current_staff(request, session)
    _admin(actor)
    try:
        do_update_feed(session, actor, feed_id, name=text(form, "name"), url=text(form, "url"),
                       active=text(form, "active") == "1")  # fmt: skip
    except MinyiError as exc:
        session.rollback()
        if exc.status == 404:
            raise
        return _page(request, session, pick(exc.message_zh, exc.message_en), exc.status)
    return redirect("/staff/feeds?done=edit")
