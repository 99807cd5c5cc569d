"""Verify every case's event chain against its recorded head (`minyi audit verify`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.audit.chain import ChainProblem, verify_chain
from minyi.cases.events import audit_key, payload_of
from minyi.cases.models import Case, CaseEvent

BATCH = 500
COLUMNS = [c for c in CaseEvent.__table__.c if c.key != "id"]


def verify_all(session: Session, case_id: int | None = None) -> Iterator[ChainProblem]:
    """Yield each broken chain's first problem, naming the case and the position."""
    key = audit_key()
    last = 0
    while True:
        stmt = select(Case.id, Case.event_count, Case.last_event_hash).where(Case.id > last)
        if case_id is not None:
            stmt = stmt.where(Case.id == case_id)
        heads = session.execute(stmt.order_by(Case.id).limit(BATCH)).all()
        if not heads:
            return
        ids = [h.id for h in heads]
        events: dict[int, list[Any]] = {i: [] for i in ids}
        # plain rows, not ORM objects: verifying must not touch the caller's identity map
        rows = select(*COLUMNS).where(CaseEvent.case_id.in_(ids)).order_by(CaseEvent.case_id, CaseEvent.seq)
        for ev in session.execute(rows):
            events[ev.case_id].append(ev)
        for h in heads:
            chain = ((e.seq, e.prev_hash, e.hash, payload_of(e)) for e in events[h.id])
            yield from verify_chain(key, h.id, chain, h.event_count, h.last_event_hash)
        last = ids[-1]
        if case_id is not None:
            return
