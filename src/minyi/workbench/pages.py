"""Workbench pages: sign-in and sign-out, the handler's queue with bulk sign-for (case, board, admin apart)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from starlette.datastructures import FormData

from minyi.accounts.actions import LockedOut, do_authenticate, do_issue_token, sign_in_limits
from minyi.cases.actions import do_sign_for
from minyi.cases.queries import COUNT_CAP, QueueFilter, access_case_by_id, list_queue
from minyi.cases.rules import Status
from minyi.db import utcnow
from minyi.deps import SessionDep
from minyi.errors import MinyiError, NotAuthenticated
from minyi.fields import form_int
from minyi.locale import gettext as _
from minyi.locale import pick
from minyi.web.auth import StaffPage, current_staff, do_sign_out, safe_next, set_session_cookie
from minyi.web.forms import text
from minyi.web.rendering import PageRoute, redirect, render
from minyi.web.signing import SESSION_COOKIE, check_csrf
from minyi.workbench import admin, admin_edit, board, case_page, password, register
from minyi.workbench.queries import departments

router = APIRouter(prefix="/staff", route_class=PageRoute, include_in_schema=False)
Form = Annotated[FormData, Depends(check_csrf)]
QUEUES = {
    "handler": ("to_sign", "mine", "overdue"),
    "dept_head": ("to_sign", "mine", "overdue"),
    "intake": ("dispatch", "triage", "returned", "overdue", "urgent", "all"),
    "supervisor": ("overdue", "returned", "urgent", "dispatch", "all"),
    "admin": ("all", "dispatch", "overdue", "returned", "urgent", "triage", "to_sign", "mine"),
}


@router.get("/login")
def login_form(request: Request, next: str = "") -> Response:
    """The sign-in form."""
    return render(request, "workbench/login.html", {"next": safe_next(next), "error": None, "username": ""})


@router.post("/login")
def login(request: Request, session: SessionDep, form: Form) -> Response:
    """Check the password (the core locks the account after repeated failures) and open a session."""
    username, password, nxt = text(form, "username"), str(form.get("password") or ""), text(form, "next")
    try:
        user = do_authenticate(session, username, password, **sign_in_limits(request))
    except LockedOut as exc:
        error = pick(exc.message_zh, exc.message_en)
        ctx = {"next": safe_next(nxt), "error": error, "username": username}
        page = render(request, "workbench/login.html", ctx, status=429)
        page.headers.update(exc.headers or {})
        return page
    except NotAuthenticated:
        ctx = {"next": safe_next(nxt), "error": _("用户名或密码不正确"), "username": username}
        return render(request, "workbench/login.html", ctx, status=401)
    token = do_issue_token(session, user)
    response = redirect(
        "/org" if user.role == "member" else safe_next(nxt)
    )  # members: their organisation's page
    set_session_cookie(request, response, token)
    return response


@router.post("/logout")
def logout(request: Request, session: SessionDep, form: Form) -> Response:
    """End the session on the server and in the browser."""
    do_sign_out(session, request.cookies.get(SESSION_COOKIE))
    response = redirect("/staff/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("")
def queue(
    request: Request,
    session: SessionDep,
    actor: StaffPage,
    q: str = "",
    view: str = "",
    status: str = "",
    page: int = 1,
) -> Response:
    """The work queue: my department's cases by due date, overdue in red, with filters."""
    views = QUEUES.get(actor.role.value, ("mine",))
    view = view if view in views else views[0]
    f = QueueFilter(
        queue=view, status=status or None, q=q.strip()[:100] or None, page=max(1, min(page, 1000))
    )
    items, total = list_queue(session, actor, f)
    names = {d.id: pick(d.name, d.name_en or d.name) for d in departments(session, active_only=False)}
    capped = total >= COUNT_CAP  # counted up to the cap: at least that many, perhaps more (more pages follow)
    context = {
        "items": items, "total": f"{COUNT_CAP}+" if capped else total, "f": f, "views": views, "view": view,
        "now": utcnow(), "more": len(items) == f.per_page and (capped or f.page * f.per_page < total),
        "statuses": [s.value for s in Status], "dept_names": names,
        "pages": None if capped else (total + f.per_page - 1) // f.per_page, "can_sign": actor.role.value in ("handler", "dept_head", "admin"),
    }  # fmt: skip
    return render(request, "workbench/queue.html", context)


@router.post("/cases/sign-for")
def bulk_sign_for(request: Request, session: SessionDep, form: Form) -> Response:
    """Sign for several cases at once; each goes through the core's action and its checks."""
    actor = current_staff(request, session)
    signed, refused = 0, 0
    for raw in form.getlist("case_id")[:100]:
        try:
            case = access_case_by_id(session, actor, form_int(str(raw), "case_id", 1))
            do_sign_for(session, case, actor)
            signed += 1
        except (MinyiError, ValueError):
            session.rollback()
            refused += 1
    return redirect(f"/staff?signed={signed}&refused={refused}")


router.include_router(case_page.router)
router.include_router(board.router)
router.include_router(admin_edit.router)
router.include_router(admin.router)
router.include_router(password.router)
router.include_router(register.router)
