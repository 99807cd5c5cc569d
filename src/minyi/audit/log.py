"""The administrators' audit trail: one global hash chain for writes that are not about one case."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.audit.models import AuditEntry
from minyi.cases.events import audit_key
from minyi.db import utcnow
from minyi.hashchain import GENESIS, canonical, link_hash
from minyi.uow import mark_audited

HEAD_LOCK = 0x6D696E7969  # pg_advisory_xact_lock key of the chain head ("minyi")
BATCH = 5000
COLUMNS = list(AuditEntry.__table__.c)


def entry_payload(
    *, seq: int, at: datetime, actor_id: int | None, actor_role: str, actor_label: str, action: str,
    object_type: str, object_id: str | None, data: dict[str, Any],
) -> dict[str, Any]:  # fmt: skip
    """Exactly the fields an entry's hash covers (microsecond UTC timestamps)."""
    return {
        "seq": seq, "at": at.astimezone(UTC).isoformat(timespec="microseconds"), "actor_id": actor_id,
        "actor_role": actor_role, "actor_label": actor_label, "action": action, "object_type": object_type,
        "object_id": object_id, "data": data,
    }  # fmt: skip


def payload_of_entry(entry: Any) -> dict[str, Any]:
    """The hashed payload of a stored entry (an ORM object or a row with the same names)."""
    return entry_payload(
        seq=entry.seq, at=entry.at, actor_id=entry.actor_id, actor_role=entry.actor_role,
        actor_label=entry.actor_label, action=entry.action, object_type=entry.object_type,
        object_id=entry.object_id, data=entry.data or {},
    )  # fmt: skip


def entries_head(session: Session) -> tuple[int, str]:
    """(seq, hash) of the newest entry, or (0, GENESIS) when there is none."""
    row = session.execute(
        select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    return (row.seq, row.hash) if row else (0, GENESIS)


def append_entry(
    session: Session,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: str | int | None,
    data: dict[str, Any],
) -> AuditEntry:
    """Add the next entry to the global chain inside the caller's unit of work (`minyi.uow.write`, which commits).

    Concurrent writers queue on the chain head: PostgreSQL takes a transaction-level advisory lock, SQLite
    writers are already serialised by the unit of work's writer lock.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": HEAD_LOCK})
    seq, prev = entries_head(session)
    data = json.loads(canonical(data))  # stored exactly as hashed (datetimes as ISO 8601)
    values = entry_payload(
        seq=seq + 1, at=utcnow(), actor_id=actor.user_id, actor_role=str(actor.role), actor_label=actor.label,
        action=action, object_type=object_type, object_id=None if object_id is None else str(object_id), data=data,
    )  # fmt: skip
    entry = AuditEntry(**{**values, "at": datetime.fromisoformat(values["at"])})
    entry.prev_hash, entry.hash = prev, link_hash(audit_key(), prev, values)
    session.add(entry)
    session.flush()
    mark_audited(session)
    return entry


def verify_entries(session: Session, key: bytes | None = None) -> Iterator[str]:
    """Yield the first break of the entries' chain (edited, inserted or deleted entry), naming its seq."""
    key = key or audit_key()
    prev, expected, last = GENESIS, 1, 0
    while True:
        rows = session.execute(
            select(*COLUMNS).where(AuditEntry.seq > last).order_by(AuditEntry.seq).limit(BATCH)
        ).all()
        if not rows:
            return
        for e in rows:
            if e.seq != expected:
                yield f"audit entry {expected}: missing (found {e.seq} next)"
                return
            if e.prev_hash != prev:
                yield f"audit entry {e.seq}: link to the previous entry broken (deleted or inserted)"
                return
            if link_hash(key, prev, payload_of_entry(e)) != e.hash:
                yield f"audit entry {e.seq}: content does not match its hash (edited)"
                return
            prev, expected = e.hash, e.seq + 1
        last = rows[-1].seq
