"""Writes to accounts: create users, sign in (with limits), issue and resolve API tokens."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.accounts.models import ApiToken, User
from minyi.accounts.roles import Role
from minyi.accounts.security import dummy_hash, hash_password, new_token, token_digest, verify_password
from minyi.accounts.throttle import SignInThrottle
from minyi.client_address import client_address
from minyi.db import utcnow
from minyi.errors import Conflict, Forbidden, InvalidInput, MinyiError, NotAuthenticated
from minyi.settings import get_settings
from minyi.uow import end_read, write

STAFF_ROLES = {r.value for r in Role} - {"citizen", "system", "member"}
MEMBER_ROLE = "member"  # organisation members' accounts, made only by the organisations slice
DEPARTMENT_ROLES = {"handler", "dept_head"}
# roles made only at the server's console (`minyi user create`), never through the admin pages or API, so that an
# administrator cannot give themselves a discipline inspector's access to misconduct reports
CONSOLE_ONLY_ROLES = {"inspector"}


def actor_of(user: User) -> Actor:
    """The Actor an authenticated user acts as."""
    return Actor(Role(user.role), user.display_name, user.id, user.department_id, user.confidential_clearance)


def check_staff_role(
    session: Session, role: str, department_id: int | None, *, at_console: bool = False, member: bool = False
) -> None:
    """A staff role that exists (inspectors only at the console), with a department where the role needs one;
    `member`: an organisation member's account instead (no department, and no staff role)."""
    if member:
        if role != MEMBER_ROLE or department_id is not None:
            raise InvalidInput("成员账号角色无效", "a member account has the member role only", field="role")
        return
    if role not in STAFF_ROLES or (role in CONSOLE_ONLY_ROLES and not at_console):
        raise InvalidInput("角色无效", f"unknown role {role!r}", field="role")
    if role in DEPARTMENT_ROLES and department_id is None:
        raise InvalidInput(
            "承办人员须指定所属单位", "department staff need a department", field="department_id"
        )
    # that the department exists is the database's foreign key to check (see `unknown_department`)


def do_create_user(
    session: Session,
    actor: Actor,
    *,
    username: str,
    password: str,
    role: str,
    display_name: str | None = None,
    department_id: int | None = None,
    clearance: bool = False,
    member: bool = False,
) -> User:
    """Add a member of staff (administrators, or the system at set-up); inspectors only by the system (console);
    `member`: an organisation member's account (the organisations slice adds its membership in the same write)."""
    if actor.role not in (Role.admin, Role.system):
        raise Forbidden("仅管理员可操作", "administrators only")
    check_staff_role(session, role, department_id, at_console=actor.role == Role.system, member=member)
    if len(password) < 8:
        raise InvalidInput("密码至少8位", "password must have at least 8 characters", field="password")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict("用户名已存在", "username already taken", field="username")
    password_hash = hash_password(password)  # slow on purpose: before the write begins
    try:
        with write(session, actor) as tx:
            user = User(
                username=username, display_name=display_name or username, password_hash=password_hash,
                role=role, department_id=department_id, confidential_clearance=clearance,
            )  # fmt: skip
            session.add(user)
            session.flush()
            tx.record("user.add", "user", user.id, {"username": username, "role": role,
                                                    "department_id": department_id, "clearance": clearance})  # fmt: skip
    except IntegrityError as exc:
        if session.scalar(select(User.id).where(User.username == username)) is None:
            raise unknown_department() from exc
        raise Conflict("用户名已存在", "username already taken", field="username") from exc
    return user


def unknown_department() -> InvalidInput:
    """What a write that names a department that does not exist gets (its foreign key refused it)."""
    return InvalidInput("单位不存在", "unknown department", field="department_id")


class LockedOut(MinyiError):
    status = 429
    code = "locked_out"

    def __init__(self, retry_after: int) -> None:
        super().__init__("登录失败次数过多，请稍后再试", "too many failed sign-ins; try again later")
        self.retry_after = retry_after
        self.headers = {"Retry-After": str(retry_after)}


def do_authenticate(
    session: Session,
    username: str,
    password: str,
    *,
    address: str = "unknown",
    throttle: SignInThrottle | None = None,
) -> User:
    """Check a password in about the same time whether the user exists or not (a dummy hash is verified for
    unknown users); with a throttle, repeated failures make this address wait (see accounts/throttle.py)."""
    # the place is taken before the password is checked: guesses sent at once cannot all pass a check of the count
    if throttle is not None and (wait := throttle.reserve(session, username, address)):
        raise LockedOut(wait)
    user = session.scalar(select(User).where(User.username == username))
    matches = verify_password(user.password_hash if user is not None else dummy_hash(), password)
    end_read(session)  # signing in writes nothing
    if user is None or not user.active or not matches:
        raise NotAuthenticated()  # the place taken stands as the failure
    if throttle is not None:
        throttle.succeeded(session, username, address)
    return user


def sign_in_limits(request: Any) -> dict[str, Any]:
    """The caller's address and the app's throttle, as do_authenticate takes them (API and sign-in page)."""
    return {"address": client_address(request), "throttle": request.app.state.sign_in_throttle}


def do_issue_token(session: Session, user: User, now: datetime | None = None) -> str:
    """A new API token for the user (returned once, stored only as a digest); the sign-in is on the record."""
    now = now or utcnow()
    token = new_token()
    expires = now + timedelta(hours=get_settings().token_ttl_hours)
    actor = actor_of(user)
    with write(session, actor) as tx:
        session.execute(delete(ApiToken).where(ApiToken.user_id == actor.user_id, ApiToken.expires_at < now))
        session.add(
            ApiToken(
                token_hash=token_digest(token), user_id=actor.user_id, created_at=now, expires_at=expires
            )
        )
        tx.record("user.sign_in", "user", actor.user_id, {"expires_at": expires.isoformat()})
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
    """Sign out: the token stops working at once (on the record)."""
    user = get_user_by_token(session, token) if token else None
    if user is None or token is None:
        end_read(session)
        return
    actor = actor_of(user)
    with write(session, actor) as tx:
        session.execute(delete(ApiToken).where(ApiToken.token_hash == token_digest(token)))
        tx.record("user.sign_out", "user", actor.user_id, {})
