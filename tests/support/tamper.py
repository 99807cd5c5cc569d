"""What someone with database access could do to the record: the moves `minyi audit verify` must catch."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Executable, delete, or_, select, text, update
from sqlalchemy.orm import Session

from minyi.accounts.actor import SYSTEM
from minyi.audit.models import append_only_ddl
from minyi.cases.events import audit_key, payload_of
from minyi.cases.models import Case, CaseBand, CaseEvent, CaseLink
from minyi.hashchain import GENESIS, link_hash
from minyi.notifications.models import Notification
from minyi.uow import write

OUTSIDER = "a test playing someone with database access"


def past_the_guard(session: Session, table: str, *statements: Executable) -> None:
    """Run UPDATE/DELETE on an append-only table the way its owner could: triggers off, then on again."""
    with write(session, SYSTEM, bookkeeping=OUTSIDER):
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
            for stmt in statements:
                session.execute(stmt)
            session.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER USER"))
        else:
            for op in ("update", "delete"):
                session.execute(text(f"DROP TRIGGER {table}_no_{op}"))
            for stmt in statements:
                session.execute(stmt)
            for ddl in append_only_ddl(table, "sqlite"):
                session.execute(text(ddl))


def delete_tail(session: Session, case_id: int, **columns: Any) -> None:
    """Delete a case's last event and step its counters (and any `columns`) back so the chain still verifies."""
    with write(session, SYSTEM, bookkeeping=OUTSIDER):
        count = session.scalar(select(Case.event_count).where(Case.id == case_id))
        assert count is not None
        session.execute(delete(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.seq == count))
        head = session.scalar(
            select(CaseEvent.hash).where(CaseEvent.case_id == case_id, CaseEvent.seq == count - 1)
        )
        version = Case.version - 1
        session.execute(
            update(Case).where(Case.id == case_id).values(event_count=count - 1, last_event_hash=head, version=version,
                                                            **columns)
        )  # fmt: skip


def delete_case(session: Session, case_id: int) -> None:
    """Delete a whole case with its events and everything that points at it."""
    with write(session, SYSTEM, bookkeeping=OUTSIDER):
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("DELETE FROM case_search WHERE case_id = :id"), {"id": case_id})
        session.execute(delete(CaseBand).where(CaseBand.case_id == case_id))
        session.execute(
            delete(CaseLink).where(or_(CaseLink.case_id == case_id, CaseLink.other_case_id == case_id))
        )
        session.execute(update(Case).where(Case.repeat_of_case_id == case_id).values(repeat_of_case_id=None))
        session.execute(delete(CaseEvent).where(CaseEvent.case_id == case_id))
        session.execute(delete(Notification).where(Notification.case_id == case_id))
        session.execute(delete(Case).where(Case.id == case_id))


def rewrite_chain(session: Session, case_id: int, secret: str, **edits: Any) -> None:
    """Edit a case's events (seq -> new note) and recompute its whole chain and head under `secret`."""
    with write(session, SYSTEM, bookkeeping=OUTSIDER):
        key, prev = audit_key(secret), GENESIS
        events = session.execute(
            select(*[c for c in CaseEvent.__table__.c])
            .where(CaseEvent.case_id == case_id)
            .order_by(CaseEvent.seq)
        ).all()
        notes: dict[int, str] = edits.get("notes", {})
        for ev in events:
            payload = {**payload_of(ev), "note": notes.get(ev.seq, ev.note)}
            new_hash = link_hash(key, prev, payload)
            session.execute(
                update(CaseEvent)
                .where(CaseEvent.id == ev.id)
                .values(note=payload["note"], prev_hash=prev, hash=new_hash)
            )
            prev = new_hash
        session.execute(
            update(Case).where(Case.id == case_id).values(last_event_hash=prev, **edits.get("columns", {}))
        )


def arrange(session: Session) -> None:
    """Commit what a test planted straight into the tables (as someone with database access could), past the
    product's rule that only the unit of work commits."""
    from minyi.uow import IN_UOW, WROTE

    session.info[IN_UOW] = OUTSIDER
    try:
        session.commit()
    finally:
        session.info.pop(IN_UOW, None)
        session.info.pop(WROTE, None)
