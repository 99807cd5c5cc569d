"""Administration pages that change what exists: edit or disable departments and staff, reset a password,
edit or remove routing rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from starlette.datastructures import FormData

from minyi.accounts.actor import Actor
from minyi.accounts.manage import do_edit_user, do_reset_password
from minyi.departments.actions import do_edit_department, do_edit_routing_rule, do_remove_routing_rule
from minyi.deps import SessionDep
from minyi.errors import MinyiError
from minyi.locale import gettext as _
from minyi.locale import pick
from minyi.web.forms import text
from minyi.web.rendering import PageRoute, redirect
from minyi.web.signing import check_csrf
from minyi.workbench.admin import admin_page
from minyi.workbench.auth import current_staff, require_role

router = APIRouter(prefix="/admin", route_class=PageRoute)
Form = Annotated[FormData, Depends(check_csrf)]


def _number(form: FormData, name: str) -> int | None:
    raw = text(form, name)
    return int(raw) if raw.lstrip("-").isdigit() else None


def _run(request: Request, session: SessionDep, section: str, change: Callable[[Actor], object]) -> Response:
    actor = current_staff(request, session)
    require_role(actor, "admin")
    try:
        change(actor)
    except MinyiError as exc:
        session.rollback()
        return admin_page(request, session, pick(exc.message_zh, exc.message_en), 422)
    return redirect(f"/staff/admin?done={section}#{section}")


@router.post("/departments/{department_id}/edit")
def edit_department(request: Request, session: SessionDep, form: Form, department_id: int) -> Response:
    """Rename a department, or disable it so that no new case goes to it."""
    return _run(request, session, "departments", lambda actor: do_edit_department(
        session, actor, department_id, name=text(form, "name"),
        name_en=text(form, "name_en") or None, region_code=text(form, "region_code") or None,
        active=bool(form.get("active")),
    ))  # fmt: skip


@router.post("/users/{user_id}/edit")
def edit_user(request: Request, session: SessionDep, form: Form, user_id: int) -> Response:
    """Change a member of staff's role, department and clearance, or disable the account."""
    return _run(request, session, "users", lambda actor: do_edit_user(
        session, actor, user_id, display_name=text(form, "display_name"),
        role=text(form, "role"), department_id=_number(form, "department_id"),
        clearance=bool(form.get("clearance")), active=bool(form.get("active")),
    ))  # fmt: skip


@router.post("/users/{user_id}/reset")
def reset_password(request: Request, session: SessionDep, form: Form, user_id: int) -> Response:
    """Set a temporary password, shown once here, that the person must change at the next sign-in."""
    actor = current_staff(request, session)
    require_role(actor, "admin")
    try:
        temporary = do_reset_password(session, actor, user_id)
    except MinyiError as exc:
        return admin_page(request, session, pick(exc.message_zh, exc.message_en), 422)
    notice = _("临时密码（只显示这一次，请当面或电话告知本人；登录后须立即修改）：%(p)s") % {"p": temporary}
    return admin_page(request, session, notice=notice)


@router.post("/routing-rules/{rule_id}/edit")
def edit_routing_rule(request: Request, session: SessionDep, form: Form, rule_id: int) -> Response:
    """Change where a routing rule sends cases."""
    return _run(request, session, "routing-rules", lambda actor: do_edit_routing_rule(
        session, actor, rule_id, department_id=_number(form, "department_id") or 0,
        topic_prefix=text(form, "topic_prefix"), region_prefix=text(form, "region_prefix"),
        priority=_number(form, "priority") or 0,
    ))  # fmt: skip


@router.post("/routing-rules/{rule_id}/remove")
def remove_routing_rule(request: Request, session: SessionDep, form: Form, rule_id: int) -> Response:
    """Remove a routing rule."""
    return _run(request, session, "routing-rules",
                lambda actor: do_remove_routing_rule(session, actor, rule_id))  # fmt: skip
