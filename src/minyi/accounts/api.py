"""JSON API for staff sign-in: exchange a password for a bearer token."""

from __future__ import annotations

from fastapi import APIRouter, Request, status
from pydantic import BaseModel, Field

from minyi.accounts.actions import do_authenticate, do_issue_token, sign_in_limits
from minyi.accounts.manage import do_change_password, do_edit_user, do_reset_password
from minyi.deps import SessionDep, StaffDep
from minyi.fields import Text

router = APIRouter(tags=["accounts"])


class TokenIn(BaseModel):
    username: Text = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=200)


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    role: str
    department_id: int | None


class MeOut(BaseModel):
    user_id: int | None
    name: str
    role: str
    department_id: int | None


@router.post("/auth/token", response_model=TokenOut)
def issue_token(body: TokenIn, request: Request, session: SessionDep) -> TokenOut:
    """Sign in; the token goes in `Authorization: Bearer …`. Repeated failures answer 429 with Retry-After."""
    user = do_authenticate(session, body.username, body.password, **sign_in_limits(request))
    token = do_issue_token(session, user)
    return TokenOut(access_token=token, role=user.role, department_id=user.department_id)


@router.get("/auth/me", response_model=MeOut)
def me(actor: StaffDep) -> MeOut:
    """Who the token belongs to."""
    return MeOut(
        user_id=actor.user_id, name=actor.label, role=actor.role.value, department_id=actor.department_id
    )


class PasswordIn(BaseModel):
    username: str = Field(min_length=1, max_length=80)
    current_password: str = Field(min_length=1, max_length=200)
    new_password: str = Field(min_length=1, max_length=200)


class UserEdit(BaseModel):
    display_name: str = Field(min_length=1, max_length=100)
    role: str = Field(min_length=1, max_length=20)
    department_id: int | None = None
    clearance: bool = False
    active: bool = True


@router.post("/auth/password", status_code=status.HTTP_204_NO_CONTENT)
def change_password(body: PasswordIn, request: Request, session: SessionDep) -> None:
    """Change one's password with the current one (also how a temporary password set by an admin is replaced)."""
    user = do_authenticate(session, body.username, body.current_password, **sign_in_limits(request))
    do_change_password(session, user.id, body.current_password, body.new_password)


@router.put("/users/{user_id}", response_model=MeOut)
def edit_user(user_id: int, body: UserEdit, actor: StaffDep, session: SessionDep) -> MeOut:
    """Administrators: change a member of staff's role, department, clearance; active: false disables."""
    u = do_edit_user(session, actor, user_id, **body.model_dump())
    return MeOut(user_id=u.id, name=u.display_name, role=u.role, department_id=u.department_id)


@router.post("/users/{user_id}/password-reset")
def reset_password(user_id: int, actor: StaffDep, session: SessionDep) -> dict[str, str]:
    """Administrators: a temporary password, shown once, that must be changed at the next sign-in."""
    return {"temporary_password": do_reset_password(session, actor, user_id)}
