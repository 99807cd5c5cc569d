"""Writes to accounts: create users, sign in (with lock-out), issue and resolve API tokens."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.accounts.models import ApiToken, User
from minyi.accounts.security import hash_password, new_token, token_digest, verify_password
from minyi.cases.rules import Role
from minyi.db import begin_write, utcnow
from minyi.departments.models import Department
from minyi.errors import Conflict, InvalidInput, MinyiError, NotAuthenticated
from minyi.settings import get_settings

STAFF_ROLES = {r.value for r in Role} - {"citizen", "system"}
DEPARTMENT_ROLES = {"handler", "dept_head"}
# roles made only at the server's console (`minyi user create`), never through the admin pages or API, so that an
# administrator cannot give themselves a discipline inspector's access to misconduct reports
CONSOLE_ONLY_ROLES = {"inspector"}


def actor_of(user: User) -> Actor:
    """The Actor an authenticated user acts as."""
    return Actor(Role(user.role), user.display_name, user.id, user.department_id, user.confidential_clearance)


def do_create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: str,
    display_name: str | None = None,
    department_id: int | None = None,
    clearance: bool = False,
    at_console: bool = False,
) -> User:
    """Add a member of staff; department roles need a department; inspectors are made only at the console."""
    if role not in STAFF_ROLES or (role in CONSOLE_ONLY_ROLES and not at_console):
        raise InvalidInput("角色无效", f"unknown role {role!r}", field="role")
    if role in DEPARTMENT_ROLES and department_id is None:
        raise InvalidInput(
            "承办人员须指定所属单位", "department staff need a department", field="department_id"
        )
    if department_id is not None and session.get(Department, department_id) is None:
        raise InvalidInput("单位不存在", "unknown department", field="department_id")
    if len(password) < 8:
        raise InvalidInput("密码至少8位", "password must have at least 8 characters", field="password")
    user = User(
        username=username, display_name=display_name or username, password_hash=hash_password(password),
        role=role, department_id=department_id, confidential_clearance=clearance,
    )  # fmt: skip
    session.add(user)
    try:
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        raise Conflict("用户名已存在", "username already taken", field="username") from exc
    return user


class LockedOut(MinyiError):
    status = 429
    code = "locked_out"


def do_authenticate(session: Session, username: str, password: str, now: datetime | None = None) -> User:
    """Check a password; repeated failures lock the account for a while."""
    now = now or utcnow()
    settings = get_settings()
    begin_write(session)
    user = session.scalar(select(User).where(User.username == username).with_for_update())
    if user is not None and user.locked_until is not None and user.locked_until > now:
        session.rollback()
        raise LockedOut("登录失败次数过多，请稍后再试", "too many failed sign-ins; try again later")
    if user is None or not user.active or not verify_password(user.password_hash, password):
        if user is not None:
            user.failed_logins += 1
            if user.failed_logins >= settings.login_max_failures:
                user.locked_until = now + timedelta(minutes=settings.login_lockout_minutes)
                user.failed_logins = 0
        session.commit()
        raise NotAuthenticated()
    user.failed_logins = 0
    user.locked_until = None
    session.commit()
    return user


def do_issue_token(session: Session, user: User, now: datetime | None = None) -> str:
    """A new API token for the user (returned once, stored only as a digest)."""
    now = now or utcnow()
    begin_write(session)
    token = new_token()
    expires = now + timedelta(hours=get_settings().token_ttl_hours)
    session.execute(delete(ApiToken).where(ApiToken.user_id == user.id, ApiToken.expires_at < now))
    session.add(ApiToken(token_hash=token_digest(token), user_id=user.id, created_at=now, expires_at=expires))
    session.commit()
    return token


def get_user_by_token(session: Session, token: str, now: datetime | None = None) -> User | None:
    """The active user a valid, unexpired token belongs to."""
    now = now or utcnow()
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == token_digest(token)))
    if row is None or row.expires_at <= now:
        return None
    user = session.get(User, row.user_id)
    return user if user is not None and user.active else None


def do_revoke_token(session: Session, token: str | None) -> None:
    """Sign out: the token stops working at once."""
    if token:
        begin_write(session)
        session.execute(delete(ApiToken).where(ApiToken.token_hash == token_digest(token)))
        session.commit()
