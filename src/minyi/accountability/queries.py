"""Reads of the accountability register: staff by `rules.may_read`, the public only what was decided public."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.accountability.models import AccountabilityEvidence, AccountabilityRecord
from minyi.accountability.rules import REGISTRARS, Status, may_read
from minyi.accounts.actor import Actor
from minyi.errors import NotFound
from minyi.fields import is_id


def _own(actor: Actor, record: AccountabilityRecord) -> bool:
    return actor.department_id is not None and actor.department_id == record.unit_id


def access_record(
    session: Session, actor: Actor, record_id: int, *, for_update: bool = False
) -> AccountabilityRecord:
    """A record the actor may read; a missing one and a forbidden one look the same (404)."""
    if not is_id(record_id):
        raise NotFound("问责记录", "accountability record")
    stmt = select(AccountabilityRecord).where(AccountabilityRecord.id == record_id)
    record = session.scalar(stmt.with_for_update() if for_update else stmt)
    if record is None or not may_read(actor.role, own_unit=_own(actor, record)):
        raise NotFound("问责记录", "accountability record")
    return record


def list_records(session: Session, actor: Actor) -> list[AccountabilityRecord]:
    """The records the actor may read, newest first."""
    stmt = select(AccountabilityRecord).order_by(AccountabilityRecord.id.desc())
    if actor.role not in REGISTRARS:
        if actor.department_id is None:
            return []
        stmt = stmt.where(AccountabilityRecord.unit_id == actor.department_id)
    return [r for r in session.scalars(stmt) if may_read(actor.role, own_unit=_own(actor, r))]


def public_records(session: Session) -> list[AccountabilityRecord]:
    """Decided records whose decision is public, newest decision first."""
    stmt = (
        select(AccountabilityRecord)
        .where(AccountabilityRecord.status == Status.decided, AccountabilityRecord.public.is_(True))
        .order_by(AccountabilityRecord.decided_at.desc(), AccountabilityRecord.id.desc())
    )
    return list(session.scalars(stmt))


def evidence_of(session: Session, record_ids: list[int]) -> dict[int, list[AccountabilityEvidence]]:
    out: dict[int, list[AccountabilityEvidence]] = defaultdict(list)
    if record_ids:
        stmt = (
            select(AccountabilityEvidence)
            .where(AccountabilityEvidence.record_id.in_(record_ids))
            .order_by(AccountabilityEvidence.id)
        )
        for e in session.scalars(stmt):
            out[e.record_id].append(e)
    return out
