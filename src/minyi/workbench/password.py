"""Staff change their own password: /staff/password (the only page a temporary password opens)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from starlette.datastructures import FormData

from minyi.accounts.manage import do_change_password
from minyi.deps import SessionDep
from minyi.errors import MinyiError
from minyi.locale import gettext as _
from minyi.locale import pick
from minyi.web.rendering import PageRoute, redirect, render
from minyi.web.signing import check_csrf
from minyi.workbench.auth import StaffPage, current_staff

router = APIRouter(route_class=PageRoute)
Form = Annotated[FormData, Depends(check_csrf)]


@router.get("/password")
def password_form(request: Request, actor: StaffPage) -> Response:
    """The form: current (or temporary) password, new password twice."""
    return render(request, "workbench/password.html", {"errors": {}})


@router.post("/password")
def change_password(request: Request, session: SessionDep, form: Form) -> Response:
    """Change the password; a temporary one set by an administrator is replaced and the workbench opens."""
    actor = current_staff(request, session)
    new = str(form.get("password") or "")
    if new != str(form.get("password_again") or ""):
        return render(
            request,
            "workbench/password.html",
            {"errors": {"password_again": _("两次输入的新密码不一致")}},
            status=422,
        )
    try:
        do_change_password(session, actor.user_id or 0, str(form.get("current_password") or ""), new)
    except MinyiError as exc:
        errors = {exc.field or "password": pick(exc.message_zh, exc.message_en)}
        return render(request, "workbench/password.html", {"errors": errors}, status=exc.status)
    return redirect("/staff?done=password")
