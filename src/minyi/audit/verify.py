"""Verify the record (`minyi audit verify`): every case chain and the state it implies, the audit entries'
chain, and the sealed checkpoints."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from minyi.audit.checkpoint import checkpoint_root
from minyi.audit.log import verify_entries
from minyi.audit.models import AuditCheckpoint, AuditEntry, CheckpointLeaf
from minyi.audit.replay import state_differences
from minyi.audit.verifiers import run_verifiers
from minyi.cases.events import audit_key, payload_of
from minyi.cases.models import Case, CaseEvent
from minyi.hashchain import ChainProblem, verify_chain
from minyi.settings import PLACEHOLDER_SECRET, get_settings

BATCH = 500
COLUMNS = [c for c in CaseEvent.__table__.c if c.key != "id"]
STATE = [Case.id, Case.event_count, Case.last_event_hash, Case.status, Case.version, Case.round, Case.evaluation,
         Case.evaluation_comment, Case.reply_text, Case.closed_at]  # fmt: skip


def verify_all(
    session: Session, case_id: int | None = None, key: bytes | None = None
) -> Iterator[ChainProblem]:
    """Yield each broken case's first problem, naming the case and the position (or the contradicted column)."""
    key = key or audit_key()
    last = 0
    while True:
        stmt = select(*STATE).where(Case.id > last)
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
            broken = verify_chain(key, h.id, chain, h.event_count, h.last_event_hash)
            if broken:
                yield from broken
                continue
            for difference in state_differences(h._mapping, (e._mapping for e in events[h.id])):
                yield ChainProblem(h.id, h.event_count, f"state column {difference}")
        last = ids[-1]
        if case_id is not None:
            return


def verify_checkpoints(session: Session, published_root: str | None = None) -> Iterator[str]:
    """Each sealed head that the record no longer holds, and each checkpoint whose root no longer adds up."""
    found = session.execute(
        select(CheckpointLeaf.checkpoint_id, CheckpointLeaf.case_id, CheckpointLeaf.event_count,
               CheckpointLeaf.head, CaseEvent.hash)
        .outerjoin(CaseEvent, and_(CaseEvent.case_id == CheckpointLeaf.case_id,
                                   CaseEvent.seq == CheckpointLeaf.event_count))
        .where((CaseEvent.hash.is_(None)) | (CaseEvent.hash != CheckpointLeaf.head))
        .order_by(CheckpointLeaf.case_id, CheckpointLeaf.checkpoint_id)
    )  # fmt: skip
    named: set[int] = set()
    for r in found:
        if r.case_id not in named:
            named.add(r.case_id)
            what = "is missing (tail or case deleted)" if r.hash is None else "differs (chain rewritten)"
            yield f"case {r.case_id}: event {r.event_count} sealed by checkpoint {r.checkpoint_id} {what}"
    checkpoints = session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id)).all()
    for expected, cp in enumerate(checkpoints, start=1):
        if cp.id != expected:
            yield f"checkpoint {expected}: missing"
            break
        if cp.entry_seq:
            entry_hash = session.scalar(select(AuditEntry.hash).where(AuditEntry.seq == cp.entry_seq))
            if entry_hash != cp.entry_head:
                yield f"audit entry {cp.entry_seq}: sealed by checkpoint {cp.id} but missing or changed"
    targets = [c for c in checkpoints if c.root == published_root] if published_root else checkpoints[-1:]
    if published_root and not targets:
        yield f"published root {published_root} is not in the record (checkpoints rewritten)"
    for cp in targets:
        if checkpoint_root(session, cp) != cp.root:
            yield f"checkpoint {cp.id}: its sealed leaves no longer give its root {cp.root}"


@dataclass
class RecordReport:
    """What `minyi audit verify` found: one line per problem, and a warning about the key if there is one."""

    problems: list[str] = field(default_factory=list)
    warning: str | None = None


def check_record(session: Session, published_root: str | None = None) -> RecordReport:
    """Verify the whole record: case chains and their state, the audit entries, the checkpoints, the key."""
    cases = list(verify_all(session))
    entries = list(verify_entries(session))
    report = RecordReport([f"case {p.case_id} event {p.position}: {p.problem}" for p in cases] + entries)
    report.problems += verify_checkpoints(session, published_root)
    from minyi.suggestions.events import verify_suggestions

    report.problems += [
        f"suggestion {p.case_id} event {p.position}: {p.problem}" for p in verify_suggestions(session)
    ]
    report.problems += run_verifiers(session)
    report.warning = _default_secret_warning(session, sorted({p.case_id for p in cases}), bool(entries))
    return report


def _default_secret_warning(session: Session, broken: list[int], entries_broken: bool) -> str | None:
    if get_settings().secret_key == PLACEHOLDER_SECRET:
        return "the record is keyed with the development default secret: anyone can recompute it"
    weak = audit_key(PLACEHOLDER_SECRET)
    forged = [i for i in broken if not list(verify_all(session, i, key=weak))]
    if forged or (entries_broken and not list(verify_entries(session, weak))):
        what = f"case(s) {', '.join(map(str, forged[:10]))}" if forged else "the audit entries"
        return f"{what} verify only under the development default secret: rewritten by someone who knew it"
    return None
