"""Checkpoints: seal every chain's head under one Merkle root, so that a deleted tail or case is caught.

A checkpoint stores its root, its time and counts, the audit entries' head, and one leaf row for each case
whose head changed since the previous checkpoint; the full leaf set of checkpoint K is the newest leaf of each
case among checkpoints 1..K. See docs/architecture.md ("The record").
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, insert, select, text
from sqlalchemy.orm import Session

from minyi.accounts.actor import SYSTEM
from minyi.audit.log import entries_head
from minyi.audit.merkle import case_leaf, entries_leaf, merkle_root
from minyi.audit.models import AuditCheckpoint, CheckpointLeaf
from minyi.cases.models import Case
from minyi.db import session_factory, table_of, utcnow
from minyi.settings import get_settings
from minyi.uow import write

log = logging.getLogger(__name__)
SEAL_LOCK = 0x6D696E7963  # pg_advisory_xact_lock key: one sealer at a time
BATCH = 10_000


class RecordTampered(Exception):
    """Sealing refused: the record lost something an earlier checkpoint sealed."""


def sealed_heads(session: Session, upto: int, lo: int, hi: int | None) -> dict[int, tuple[int, str]]:
    """{case_id: (event_count, head)} as sealed by checkpoint `upto`, for case ids in (lo, hi]."""
    newest = select(CheckpointLeaf.case_id, func.max(CheckpointLeaf.checkpoint_id).label("cp")).where(
        CheckpointLeaf.checkpoint_id <= upto, CheckpointLeaf.case_id > lo
    )
    if hi is not None:
        newest = newest.where(CheckpointLeaf.case_id <= hi)
    sub = newest.group_by(CheckpointLeaf.case_id).subquery()
    rows = session.execute(
        select(CheckpointLeaf.case_id, CheckpointLeaf.event_count, CheckpointLeaf.head).join(
            sub, (CheckpointLeaf.case_id == sub.c.case_id) & (CheckpointLeaf.checkpoint_id == sub.c.cp)
        )
    )
    return {r.case_id: (r.event_count, r.head) for r in rows}


@dataclass
class _Sealing:
    """The running state of one seal: counts and the leaves that changed since the previous checkpoint."""

    checkpoint_id: int
    previous: int
    cases: int = 0
    events: int = 0
    changed: int = 0
    pending: list[dict[str, Any]] = field(default_factory=list)

    def leaves(self, session: Session) -> Iterator[bytes]:
        """Every current case head in id order, writing the changed ones as this checkpoint's leaves."""
        last = 0
        while True:
            rows = session.execute(
                select(Case.id, Case.event_count, Case.last_event_hash)
                .where(Case.id > last).order_by(Case.id).limit(BATCH)
            ).all()  # fmt: skip
            sealed = sealed_heads(session, self.previous, last, rows[-1].id if rows else None)
            missing = sealed.keys() - {r.id for r in rows}
            if missing:
                raise RecordTampered(
                    f"case {min(missing)} was sealed by checkpoint {self.previous} but is gone"
                )
            if not rows:
                return
            for r in rows:
                before = sealed.get(r.id)
                if before is not None and (r.event_count < before[0] or
                                           (r.event_count == before[0] and r.last_event_hash != before[1])):  # fmt: skip
                    raise RecordTampered(f"case {r.id}: its chain head went back from event {before[0]}")
                if before != (r.event_count, r.last_event_hash):
                    self.pending.append({"checkpoint_id": self.checkpoint_id, "case_id": r.id,
                                         "event_count": r.event_count, "head": r.last_event_hash})  # fmt: skip
                self.cases, self.events = self.cases + 1, self.events + r.event_count
                yield case_leaf(r.id, r.event_count, r.last_event_hash)
            self.flush(session)
            last = rows[-1].id

    def flush(self, session: Session) -> None:
        if self.pending:
            session.execute(insert(table_of(CheckpointLeaf)), self.pending)
            self.changed += len(self.pending)
            self.pending = []


def do_seal_checkpoint(
    session: Session, now: datetime | None = None, *, unless_within: timedelta | None = None
) -> AuditCheckpoint | None:
    """Seal one checkpoint over every case chain and the audit entries, in one write transaction.

    With `unless_within`, seal nothing (None) when the newest checkpoint is at most that old: decided under the
    sealers' lock, so parallel sweeps seal once.
    """
    now = now or utcnow()
    with write(session, SYSTEM, bookkeeping="a checkpoint seals the record; it is not a change to it"):
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SEAL_LOCK})
        previous = session.execute(
            select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(1)
        ).scalar()
        if unless_within is not None and previous is not None and now - previous.at < unless_within:
            return None
        entry_seq, entry_head = entries_head(session)
        if previous is not None and entry_seq < previous.entry_seq:
            raise RecordTampered(
                f"audit entries end at {entry_seq}, checkpoint {previous.id} sealed {previous.entry_seq}"
            )
        number = previous.id + 1 if previous else 1
        state = _Sealing(number, previous.id if previous else 0)
        root = merkle_root(_then(state.leaves(session), entries_leaf(entry_seq, entry_head)))
        checkpoint = AuditCheckpoint(
            id=number,
            at=now,
            root=root,
            case_count=state.cases,
            event_count=state.events,
            changed_count=state.changed,
            entry_seq=entry_seq,
            entry_head=entry_head,
        )  # the leaves went in while streaming, in this same transaction
        session.add(checkpoint)
        return checkpoint


def _then(leaves: Iterator[bytes], last: bytes) -> Iterator[bytes]:
    yield from leaves
    yield last


def seal_if_due(engine: Engine | None = None, now: datetime | None = None) -> AuditCheckpoint | None:
    """Seal a checkpoint when the newest is older than the configured interval (the sweep calls this)."""
    every = timedelta(minutes=get_settings().checkpoint_minutes)
    with session_factory(engine)() as session:
        try:
            return do_seal_checkpoint(session, now, unless_within=every)
        except RecordTampered as exc:  # the ladder must keep running; verify names the damage
            log.error("checkpoint not sealed: %s", exc)
            return None


def checkpoint_root(session: Session, checkpoint: AuditCheckpoint) -> str:
    """Recompute a checkpoint's root from its stored leaves (newest per case up to it) and entries head."""

    def leaves() -> Iterator[bytes]:
        last = 0
        while True:
            rows = session.execute(
                select(CheckpointLeaf.case_id).where(
                    CheckpointLeaf.checkpoint_id <= checkpoint.id, CheckpointLeaf.case_id > last
                ).group_by(CheckpointLeaf.case_id).order_by(CheckpointLeaf.case_id).limit(BATCH)
            ).scalars().all()  # fmt: skip
            if not rows:
                break
            heads = sealed_heads(session, checkpoint.id, last, rows[-1])
            for case_id in rows:
                yield case_leaf(case_id, *heads[case_id])
            last = rows[-1]
        yield entries_leaf(checkpoint.entry_seq, checkpoint.entry_head)

    return merkle_root(leaves())
