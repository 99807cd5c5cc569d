"""Staff sign-in for the pages: a server-side session (hashed token) in an HttpOnly, SameSite cookie."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Response
from sqlalchemy.orm import Session

from minyi.accounts.actions import actor_of, do_revoke_token, get_user_by_token
from minyi.accounts.actor import Actor
from minyi.accounts.manage import PasswordChangeRequired
from minyi.accounts.roles import STAFF_ROLES
from minyi.deps import SessionDep
from minyi.errors import Forbidden, NotAuthenticated
from minyi.settings import get_settings
from minyi.uow import end_read
from minyi.web.signing import SESSION_COOKIE


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    """The session cookie: HttpOnly (no script reads it), SameSite=Lax, Secure over HTTPS."""
    response.set_cookie(
        SESSION_COOKIE, token, max_age=get_settings().token_ttl_hours * 3600, httponly=True, samesite="lax",
        secure=request.url.scheme == "https", path="/",
    )  # fmt: skip


def do_sign_out(session: Session, token: str | None) -> None:
    """End a page session: its token stops working at once."""
    do_revoke_token(session, token)


def current_staff(request: Request, session: SessionDep) -> Actor:
    """Dependency of every staff page: the signed-in member of staff, or NotAuthenticated (to sign-in)."""
    token = request.cookies.get(SESSION_COOKIE)
    user = get_user_by_token(session, token) if token else None
    if user is None or user.role not in STAFF_ROLES:  # an organisation member has the organisation's pages
        raise NotAuthenticated()
    if user.must_change_password and request.url.path not in ("/staff/password", "/staff/logout"):
        raise PasswordChangeRequired()
    actor = actor_of(user)
    end_read(session)  # the action starts its own transaction
    request.state.staff = actor
    return actor


StaffPage = Annotated[Actor, Depends(current_staff)]


def require_role(actor: Actor, *roles: str) -> None:
    """Refuse a page to roles that have no business there (administrators may see everything)."""
    if actor.role.value not in roles and actor.role.value != "admin":
        raise Forbidden("当前角色无权访问此页面", "your role may not open this page")


def safe_next(raw: str | None) -> str:
    """Only go back to a staff page of this site after sign-in (no open redirects)."""
    if raw and raw.startswith("/staff") and not raw.startswith("//") and "\\" not in raw:
        return raw
    return "/staff"
