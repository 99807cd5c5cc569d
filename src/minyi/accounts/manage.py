"""Administrators manage staff accounts (edit, disable, reset a password); everyone changes their own password."""

from __future__ import annotations

import secrets

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from minyi.accounts.actions import CONSOLE_ONLY_ROLES, actor_of, check_staff_role, unknown_department
from minyi.accounts.actor import Actor
from minyi.accounts.models import ApiToken, User
from minyi.accounts.roles import Role
from minyi.accounts.security import hash_password, verify_password
from minyi.errors import Forbidden, InvalidInput, MinyiError, NotFound
from minyi.uow import write

MIN_PASSWORD = 8


class PasswordChangeRequired(MinyiError):
    """The account holds a temporary password: it must be changed before anything else is done."""

    status = 403
    code = "password_change_required"
    redirect_to = "/staff/password"

    def __init__(self) -> None:
        super().__init__(
            "请先修改管理员设置的临时密码", "change the temporary password set by an administrator first"
        )


class MemberPasswordChangeRequired(PasswordChangeRequired):
    """The same for an organisation member, whose password page is under /org."""

    redirect_to = "/org/password"


def _admin_only(actor: Actor) -> None:
    if actor.role != Role.admin:
        raise Forbidden("仅管理员可操作", "administrators only")


def _staff_member(session: Session, user_id: int, *, lock: bool = False) -> User:
    user = session.get(User, user_id, with_for_update=lock, populate_existing=lock)
    if user is None:
        raise NotFound("人员", "member of staff")
    if (
        user.role in CONSOLE_ONLY_ROLES
    ):  # else an administrator could reset an inspector's password and sign in
        raise Forbidden(
            "纪检监察人员账号只能在服务器控制台管理", "inspectors' accounts are managed only at the console"
        )
    return user


def sign_out_everywhere(session: Session, user_id: int) -> None:
    """End every session of an account (disabled, reset, removed from its organisation)."""
    session.execute(delete(ApiToken).where(ApiToken.user_id == user_id))


def check_new_password(password: str) -> None:
    """A password staff may choose: long enough (the same rule as for a new account)."""
    if len(password) < MIN_PASSWORD:
        raise InvalidInput("密码至少8位", "password must have at least 8 characters", field="password")


def do_edit_user(
    session: Session,
    actor: Actor,
    user_id: int,
    *,
    display_name: str,
    role: str,
    department_id: int | None,
    clearance: bool,
    active: bool,
) -> User:
    """Change a member of staff's name, role, department, clearance; a disabled account is signed out at once."""
    _admin_only(actor)
    _staff_member(session, user_id)
    check_staff_role(session, role, department_id)
    if user_id == actor.user_id and (not active or role != Role.admin.value):
        raise InvalidInput(
            "不能停用自己的账号或取消自己的管理员角色",
            "you cannot disable or demote yourself",
            field="active",
        )
    try:
        with write(session, actor) as tx:
            user = _staff_member(session, user_id, lock=True)
            before = _profile(user)
            user.display_name = display_name.strip()[:100] or user.username
            user.role, user.department_id, user.confidential_clearance = role, department_id, clearance
            if user.active and not active:
                sign_out_everywhere(session, user.id)
            user.active = active
            tx.record("user.edit", "user", user.id, {"before": before, "after": _profile(user)})
    except IntegrityError as exc:
        raise unknown_department() from exc
    return user


def _profile(user: User) -> dict[str, object]:
    return {"display_name": user.display_name, "role": user.role, "department_id": user.department_id,
            "clearance": user.confidential_clearance, "active": user.active}  # fmt: skip


def do_reset_password(session: Session, actor: Actor, user_id: int) -> str:
    """Give a member of staff a temporary password (returned once) that must be changed at the next sign-in."""
    _admin_only(actor)
    _staff_member(session, user_id)
    temporary = secrets.token_urlsafe(9)
    password_hash = hash_password(temporary)
    with write(session, actor) as tx:
        user = _staff_member(session, user_id, lock=True)
        user.password_hash, user.must_change_password = password_hash, True
        user.failed_logins, user.locked_until = 0, None
        sign_out_everywhere(session, user.id)
        tx.record("user.reset_password", "user", user.id, {})
    return temporary


def do_change_password(session: Session, user_id: int, current: str, new: str) -> User:
    """A member of staff replaces their password, proving the current (or temporary) one."""
    user = _staff_member(session, user_id)
    if not user.active or not verify_password(user.password_hash, current):
        raise InvalidInput("当前密码不正确", "the current password is wrong", field="current_password")
    check_new_password(new)
    if new == current:
        raise InvalidInput(
            "新密码不能与当前密码相同", "the new password must differ from the current one", field="password"
        )
    password_hash = hash_password(new)
    with write(session, actor_of(user)) as tx:
        user = _staff_member(session, user_id, lock=True)
        user.password_hash, user.must_change_password = password_hash, False
        tx.record("user.change_password", "user", user.id, {})
    return user
