"""Which cases the public may read: public ones once accepted (a private or confidential case, or one not yet
reviewed, answers exactly like a missing one)."""

from __future__ import annotations

from functools import cache

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, undefer
from sqlalchemy.orm.interfaces import LoaderOption

from minyi.cases.models import Case
from minyi.cases.rules import PUBLIC_STATUSES


def public_conditions() -> list[ColumnElement[bool]]:
    """The SQL conditions of 'the public may read this case' (built once: SQL expressions are immutable)."""
    return list(_public_conditions())


@cache
def _public_conditions() -> tuple[ColumnElement[bool], ...]:
    return Case.visibility == "public", Case.status.in_([s.value for s in PUBLIC_STATUSES])


def stored_public_text() -> list[LoaderOption]:
    """Load the masked text and reply stored on a case with it: `cases.present` uses them when current, instead
    of masking again (the columns are deferred for every other reader)."""
    return list(_stored_public_text())


@cache
def _stored_public_text() -> tuple[LoaderOption, ...]:
    return tuple(undefer(c) for c in (Case.public_title, Case.public_body, Case.public_text_rev,
                                      Case.public_reply, Case.public_reply_rev))  # fmt: skip


def list_public_cases(session: Session, *, limit: int, before_id: int | None = None) -> list[Case]:
    """Open data: a page of public cases, newest first, after the case `before_id` (keyset paging)."""
    stmt = select(Case).options(*stored_public_text()).where(*public_conditions())
    if before_id:
        stmt = stmt.where(Case.id < before_id)
    return list(session.scalars(stmt.order_by(Case.id.desc()).limit(limit)))


def get_public_case(session: Session, case_id: int) -> Case | None:
    """A case the public may read, or None (private and missing look the same)."""
    stmt = select(Case).options(*stored_public_text())
    return session.scalar(stmt.where(Case.id == case_id, *public_conditions()))
