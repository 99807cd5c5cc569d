"""FastAPI dependencies that make route signatures read like prose: SessionDep, PublicSessionDep, StaffDep."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from minyi.accounts.actions import actor_of, get_user_by_token
from minyi.accounts.actor import Actor
from minyi.accounts.manage import PasswordChangeRequired
from minyi.accounts.roles import STAFF_ROLES
from minyi.db import session_factory
from minyi.errors import NotAuthenticated
from minyi.replica import FRESH_COOKIE, reads_primary
from minyi.uow import end_read


def request_session(request: Request) -> Session:
    """A new session bound to the app's engine (close it: `with request_session(request) as session:`); for a
    hot route that opens it itself rather than through a generator dependency."""
    state = request.app.state
    return (state.session_factory if hasattr(state, "session_factory") else session_factory())()


async def get_db(request: Request) -> AsyncIterator[Session]:
    """One session per request, bound to the app's engine. Made and closed on the event loop (no thread
    hand-off: a new session touches no connection), except when a transaction is still open at the end: its
    rollback talks to the database, so it runs in a worker thread."""
    session = request_session(request)
    try:
        yield session
    finally:
        if session.in_transaction():
            await run_in_threadpool(session.close)
        else:
            session.close()


SessionDep = Annotated[Session, Depends(get_db)]


def get_public_db(request: Request) -> Iterator[Session]:
    """A session for a public read: the read replica while it is within its staleness bound and this browser
    has not just written (minyi.replica), else the primary."""
    router = getattr(request.app.state, "replica", None)
    if router is None or reads_primary(request.cookies.get(FRESH_COOKIE), time.time()) or not router.usable():
        session = request_session(request)
    else:
        session = router.factory()
    with session:
        yield session


PublicSessionDep = Annotated[Session, Depends(get_public_db)]


def get_staff(session: SessionDep, authorization: Annotated[str | None, Header()] = None) -> Actor:
    """The member of staff behind a `Authorization: Bearer <token>` header."""
    if not authorization or not authorization.lower().startswith("bearer "):
        raise NotAuthenticated()
    user = get_user_by_token(session, authorization[7:].strip())
    if user is None or user.role not in STAFF_ROLES:  # an organisation member is not staff
        raise NotAuthenticated()
    if user.must_change_password:  # a temporary password opens nothing but POST /auth/password
        raise PasswordChangeRequired()
    actor = actor_of(user)
    end_read(session)  # the action starts its own transaction
    return actor


StaffDep = Annotated[Actor, Depends(get_staff)]


def has_staff_credentials(
    request: Request, session: SessionDep, authorization: Annotated[str | None, Header()] = None
) -> bool:
    """Whether the request comes with staff credentials (a bearer token, or a valid staff page session)."""
    from minyi.web.signing import SESSION_COOKIE

    if authorization:
        return True
    token = request.cookies.get(SESSION_COOKIE)
    found = token is not None and get_user_by_token(session, token) is not None
    end_read(session)
    return found


StaffCredentials = Annotated[bool, Depends(has_staff_credentials)]
