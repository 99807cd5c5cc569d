"""Scheduled work: the escalation ladder (催办 → 督办 → 通报/问责), unevaluated replies, consultation dates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from minyi.accounts.actor import SYSTEM
from minyi.audit.checkpoint import seal_if_due
from minyi.cases.actions import do_close_unevaluated
from minyi.cases.events import insert_events, next_event_values
from minyi.cases.models import Case
from minyi.cases.rules import Status
from minyi.db import session_factory, utcnow
from minyi.deadlines.models import EscalationNotice
from minyi.deadlines.rules import LEVEL_ZH, LEVELS, Clock, escalation_due, next_escalation
from minyi.uow import end_read, write

BATCH = 2000


@dataclass
class SweepReport:
    """What one sweep did."""

    examined: int = 0
    issued: dict[str, int] = field(default_factory=lambda: {name: 0 for name in LEVELS.values()})
    closed_unevaluated: int = 0
    consultations: dict[str, int] = field(default_factory=dict)  # started / closed on their dates
    others: dict[str, int] = field(default_factory=dict)  # what the other slices' ladders did (on_sweep)

    @property
    def total_issued(self) -> int:
        return sum(self.issued.values())


def _insert_ignore(dialect: str, table: object):  # type: ignore[no-untyped-def]
    ins = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)  # type: ignore[arg-type]
    return ins.on_conflict_do_nothing()


def _escalate_batch(session: Session, now: datetime, after_id: int, report: SweepReport) -> int | None:
    """Climb the ladder for one batch of due cases in one unit of work; returns the last id seen.

    Each rung issued appends an `escalate` event (the record); moving a case's next-rung instant without issuing
    a rung is the ladder's bookkeeping.
    """
    with write(session, SYSTEM, bookkeeping="the ladder's next-rung instants"):
        return _escalate_rows(session, now, after_id, report)


def _escalate_rows(session: Session, now: datetime, after_id: int, report: SweepReport) -> int | None:
    dialect = session.get_bind().dialect.name
    stmt = (
        select(
            Case.id,
            Case.status,
            Case.stage,
            Case.round,
            Case.department_id,
            Case.due_at,
            Case.remind_at,
            Case.accountability_at,
            Case.escalation_level,
            Case.event_count,
            Case.last_event_hash,
        )  # fmt: skip
        .where(Case.next_escalation_at <= now, Case.id > after_id)
        .order_by(Case.id)
        .limit(BATCH)
    )
    if dialect == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    rows = session.execute(stmt).all()
    if not rows:
        return None
    notices, events, updates = [], [], []
    for r in rows:
        report.examined += 1
        clock = Clock(r.stage, r.due_at, r.remind_at, r.accountability_at)
        level = escalation_due(now, clock)
        if level <= r.escalation_level:
            updates.append({"id": r.id, "escalation_level": r.escalation_level, "next_escalation_at": next_escalation(clock, r.escalation_level),
                            "event_count": r.event_count, "last_event_hash": r.last_event_hash})  # fmt: skip
            continue
        notices.append({"case_id": r.id, "stage": r.stage, "round": r.round, "level": level,
                        "department_id": r.department_id, "due_at": r.due_at, "issued_at": now})  # fmt: skip
        ev = next_event_values(
            r.id, r.event_count, r.last_event_hash, SYSTEM, "escalate", r.status, r.status,
            note=LEVEL_ZH[level], data={"level": level, "rung": LEVELS[level], "stage": r.stage, "due_at": r.due_at.isoformat()},
            public=level >= 2, at=now,
        )  # fmt: skip
        events.append(ev)
        updates.append({"id": r.id, "escalation_level": level, "next_escalation_at": next_escalation(clock, level),
                        "event_count": ev["seq"], "last_event_hash": ev["hash"]})  # fmt: skip
        report.issued[LEVELS[level]] += 1
    if notices:
        # The unique (case, stage, round, level) makes a second sweep, or a parallel one, issue nothing twice.
        inserted = session.execute(
            _insert_ignore(dialect, EscalationNotice.__table__).returning(EscalationNotice.case_id), notices
        ).scalars().all() if dialect == "postgresql" else None  # fmt: skip
        if inserted is None:  # SQLite: writers are serialised, and this batch was read inside the write lock
            session.execute(_insert_ignore(dialect, EscalationNotice.__table__), notices)
        elif len(inserted) != len(notices):  # another process got there first: keep only ours
            ours = set(inserted)
            events = [e for e in events if e["case_id"] in ours]
        insert_events(session, events)
    if updates:
        session.execute(update(Case), updates)  # bulk UPDATE by primary key
    return int(rows[-1].id)


SweepHook = Callable[[Session, datetime], dict[str, int]]
_SWEEP_HOOKS: list[SweepHook] = []


def on_sweep(hook: SweepHook) -> SweepHook:
    """Register another slice's ladder (e.g. rectification deadlines) to run in every sweep; it returns counts."""
    if hook not in _SWEEP_HOOKS:
        _SWEEP_HOOKS.append(hook)
    return hook


def sweep(engine: Engine | None = None, now: datetime | None = None) -> SweepReport:
    """Run the ladder over all open cases; idempotent and safe to run from several processes at once."""
    now = now or utcnow()
    report = SweepReport()
    factory = session_factory(engine)
    last = 0
    with factory() as session:
        while True:
            nxt = _escalate_batch(session, now, last, report)
            if nxt is None:
                break
            last = nxt
        due = session.scalars(
            select(Case.id).where(Case.status == Status.replied.value, Case.due_at < now).order_by(Case.id)
        ).all()
        end_read(session)
        for case_id in due:
            with write(session, SYSTEM):
                case = session.get(Case, case_id, with_for_update=True, populate_existing=True)
                if (
                    case is None
                    or case.status != Status.replied.value
                    or case.due_at is None
                    or case.due_at >= now
                ):
                    continue  # evaluated or closed since it was read
                do_close_unevaluated(session, case, SYSTEM, now=now)
                report.closed_unevaluated += 1
        for hook in _SWEEP_HOOKS:
            report.others.update(hook(session, now))
    from minyi.consultation.schedule import sweep_consultations

    dates = sweep_consultations(engine, now)  # consultations open and close on their dates
    report.consultations = {"started": dates.started, "closed": dates.closed, "votes_sealed": dates.sealed}
    seal_if_due(engine, now)  # the record's checkpoint, when the last one is older than the setting
    return report
