"""Organisation members change their own password: /org/password (the only page a temporary password opens)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from starlette.datastructures import FormData

from minyi.accounts.actor import Actor
from minyi.accounts.manage import do_change_password
from minyi.accounts.roles import Role
from minyi.deps import SessionDep
from minyi.errors import MinyiError, NotFound
from minyi.locale import gettext as _
from minyi.locale import pick
from minyi.organisations.pages import MemberPage, current_member
from minyi.web.rendering import PageRoute, redirect, render
from minyi.web.signing import check_csrf

router = APIRouter(prefix="/org", route_class=PageRoute, include_in_schema=False)
Form = Annotated[FormData, Depends(check_csrf)]
TEMPLATE = "organisations/password.html"


def _member_only(actor: Actor) -> None:
    if actor.role != Role.member:
        raise NotFound("页面", "page")


@router.get("/password")
def password_form(request: Request, actor: MemberPage) -> Response:
    """The form: current (or temporary) password, new password twice (members only: staff have /staff/password)."""
    _member_only(actor)
    return render(request, TEMPLATE, {"errors": {}})


@router.post("/password")
def change_password(request: Request, session: SessionDep, form: Form) -> Response:
    """Change the password (same rules and audit entry as staff); a temporary one is replaced and /org opens."""
    actor = current_member(request, session)
    _member_only(actor)
    new = str(form.get("password") or "")
    if new != str(form.get("password_again") or ""):
        return render(
            request, TEMPLATE, {"errors": {"password_again": _("两次输入的新密码不一致")}}, status=422
        )
    try:
        do_change_password(session, actor.user_id or 0, str(form.get("current_password") or ""), new)
    except MinyiError as exc:
        errors = {exc.field or "password": pick(exc.message_zh, exc.message_en)}
        return render(request, TEMPLATE, {"errors": errors}, status=exc.status)
    return redirect("/org?done=password")
