"""The ladder for suggestions and proposals: 催办, 督办通知, 公开通报 on the calendar-month answer deadline, and
the same rungs on the date a B answer promised (列入计划).

The rungs and when each falls due are the deadlines slice's month policy (`deadlines.months.ladder_level`); this
module issues them on the item's record, each rung once per subject (a unique row), so running it again, or two
processes at once, issues nothing twice. `minyi sweep` runs it after the cases' ladder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from minyi.accounts.actor import SYSTEM
from minyi.db import session_factory, utcnow
from minyi.deadlines.clock import month_policy
from minyi.deadlines.months import LADDER, LADDER_ZH, MonthPolicy, ladder_level
from minyi.departments.models import Department
from minyi.locale import pick
from minyi.nlp.pii import redact
from minyi.suggestions.assignment import event
from minyi.suggestions.models import FollowUp, Suggestion, SuggestionAnswer, SuggestionNotice
from minyi.suggestions.rules import (
    WITH_UNIT,
    answer_subject,
    followup_due_at,
    followup_subject,
    format_number,
)
from minyi.uow import end_read, write


@dataclass(frozen=True)
class Watch:
    """One thing the ladder watches: an item's answer deadline or a follow-up's promised date."""

    suggestion_id: int
    subject: str
    due_at: datetime
    unit_id: int | None


@dataclass
class LadderReport:
    """What one run issued, by rung."""

    examined: int = 0
    issued: dict[str, int] = field(default_factory=lambda: {name: 0 for name in LADDER.values()})


def watched(session: Session, now: datetime, policy: MonthPolicy) -> list[Watch]:
    """Open answer deadlines and follow-ups whose first rung (the reminder) has fallen due."""
    horizon = now + timedelta(days=policy.remind_before_days)
    items = session.execute(
        select(Suggestion.id, Suggestion.round, Suggestion.due_at, Suggestion.lead_unit_id)
        .where(Suggestion.status.in_([s.value for s in WITH_UNIT]), Suggestion.due_at <= horizon)
        .order_by(Suggestion.id)
    ).all()
    out = [Watch(i.id, answer_subject(i.round), i.due_at, i.lead_unit_id) for i in items]
    follow = session.execute(
        select(FollowUp.id, FollowUp.suggestion_id, FollowUp.due_on, SuggestionAnswer.department_id)
        .join(SuggestionAnswer, SuggestionAnswer.id == FollowUp.answer_id)
        .where(FollowUp.done_at.is_(None), FollowUp.due_on <= horizon.date())
        .order_by(FollowUp.id)
    ).all()
    out += [Watch(f.suggestion_id, followup_subject(f.id), followup_due_at(f.due_on), f.department_id)
            for f in follow]  # fmt: skip
    return out


def _issued(session: Session, w: Watch) -> int:
    stmt = select(func.max(SuggestionNotice.level)).where(
        SuggestionNotice.suggestion_id == w.suggestion_id, SuggestionNotice.subject == w.subject
    )
    return session.scalar(stmt) or 0


def _still_watched(item: Suggestion, w: Watch, session: Session) -> bool:
    if w.subject.startswith("answer:"):
        return (
            item.status in WITH_UNIT and answer_subject(item.round) == w.subject and item.due_at == w.due_at
        )
    follow = session.get(FollowUp, int(w.subject.split(":")[1]))
    return follow is not None and follow.done_at is None


def run_ladder(engine: Engine | None = None, now: datetime | None = None) -> LadderReport:
    """Issue every rung due at `now` on suggestions and proposals (idempotent)."""
    now = now or utcnow()
    policy = month_policy()
    report = LadderReport()
    with session_factory(engine)() as session:
        watches = watched(session, now, policy)
        end_read(session)
        for w in watches:
            report.examined += 1
            level = ladder_level(now, w.due_at, policy)
            if level == 0 or level <= _issued(session, w):
                end_read(session)
                continue
            end_read(session)
            with write(session, SYSTEM):
                item = session.get(Suggestion, w.suggestion_id, with_for_update=True, populate_existing=True)
                if item is None or not _still_watched(item, w, session) or level <= _issued(session, w):
                    continue  # answered, done or issued since it was read
                session.add(SuggestionNotice(suggestion_id=item.id, subject=w.subject, level=level,
                                             unit_id=w.unit_id, due_at=w.due_at, issued_at=now))  # fmt: skip
                event(session, item, SYSTEM, "escalate", note=LADDER_ZH[level],
                      data={"level": level, "rung": LADDER[level], "subject": w.subject,
                            "due_at": w.due_at.isoformat(), "unit_id": w.unit_id})  # fmt: skip
                report.issued[LADDER[level]] += 1
    return report


def public_notices(session: Session, limit: int = 50) -> list[dict[str, object]]:
    """公开通报: the last rung issued on published items, newest first, the subject masked."""
    stmt = (
        select(SuggestionNotice, Suggestion.number, Suggestion.kind, Suggestion.session_label, Suggestion.subject,
               Department.name, Department.name_en)
        .join(Suggestion, Suggestion.id == SuggestionNotice.suggestion_id)
        .outerjoin(Department, Department.id == SuggestionNotice.unit_id)
        .where(SuggestionNotice.level == 3, Suggestion.published.is_(True))
        .order_by(SuggestionNotice.issued_at.desc(), SuggestionNotice.id.desc())
        .limit(limit)
    )  # fmt: skip
    return [
        {"number": format_number(number), "kind": kind, "session": label, "subject": redact(subject),
         "unit": pick(name or "", name_en or name or ""), "plan": n.subject.startswith("followup:"),
         "due_at": n.due_at, "issued_at": n.issued_at}
        for n, number, kind, label, subject, name, name_en in session.execute(stmt).all()
    ]  # fmt: skip
