"""The consultation dates kept by the server: the sweep opens scheduled consultations and closes past-date ones,
and seals the votes cast since its last run into the global audit chain.

`minyi sweep` (and the periodic job that runs it) calls `sweep_consultations`; each change is one unit of work
by the system with its entry on the audit record, so "who opened it, when" is answered by the record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from minyi.accounts.actor import SYSTEM
from minyi.consultation import rules, vote_chain
from minyi.consultation.models import Consultation
from minyi.db import session_factory, utcnow
from minyi.uow import current_tx, end_read, write


@dataclass
class ScheduleReport:
    """What one sweep did to consultations."""

    started: int = 0
    closed: int = 0
    sealed: int = 0  # consultations whose new votes were sealed into the global audit chain


def _due_ids(session: Session, now: datetime) -> list[int]:
    stmt = select(Consultation.id).where(
        ((Consultation.state == rules.State.scheduled) & (Consultation.opens_at <= now))
        | (
            Consultation.state.in_([rules.State.scheduled, rules.State.open])
            & (Consultation.closes_at <= now)
        )
    )
    ids = list(session.scalars(stmt.order_by(Consultation.id)))
    end_read(session)
    return ids


def apply_dates(session: Session, c: Consultation, now: datetime) -> str | None:
    """Start or close one consultation as its dates say (inside the caller's unit of work); the action taken."""
    action = rules.sweep_action(c.state, c.opens_at, c.closes_at, now)
    if action is None:
        return None
    before = c.state
    c.state = rules.check_transition(action, c.state)
    if action == "close":
        c.closed_at = c.closes_at
        vote_chain.seal(session, c)
    tx = current_tx(session)
    assert tx is not None, "called outside its unit of work"
    tx.record(f"consultation_{action}", "consultation", c.id,
              {"from": before, "to": c.state, "by": "schedule", "at": now.isoformat()})  # fmt: skip
    return action


def sweep_consultations(engine: Engine | None = None, now: datetime | None = None) -> ScheduleReport:
    """Open what is due to open and close what is past its close date; idempotent, safe in parallel."""
    now = now or utcnow()
    report = ScheduleReport()
    with session_factory(engine)() as session:
        for consultation_id in _due_ids(session, now):
            with write(session, SYSTEM):
                c = session.get(Consultation, consultation_id, with_for_update=True, populate_existing=True)
                action = apply_dates(session, c, now) if c is not None else None
            if action == "start":
                report.started += 1
            elif action == "close":
                report.closed += 1
    report.sealed = vote_chain.seal_all(engine)
    return report
