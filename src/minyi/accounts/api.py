"""JSON API for staff sign-in: exchange a password for a bearer token."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from minyi.accounts.actions import do_authenticate, do_issue_token, sign_in_limits
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
