"""Read-only queries of the public pages: choices for the forms, public case search, the scoreboard."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from time import monotonic
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from minyi.access import SEALED_FROM_GROUP_FIGURES
from minyi.cases.models import Case, CaseEvent
from minyi.cases.public import public_conditions, stored_public_text
from minyi.deadlines.models import EscalationNotice
from minyi.deadlines.rules import workdays_to_reply
from minyi.deadlines.workcal import WorkCalendar
from minyi.departments.models import Department
from minyi.portal.rollup import months
from minyi.portal.word_search import page_of_word
from minyi.settings import get_settings

# Statuses the public may browse: a registered case is not yet reviewed, declined/withdrawn/merged ones not shown.


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(get_settings().timezone))


@dataclass(frozen=True)
class PublicSearch:
    """The filters of the public case list."""

    q: str = ""
    topic: str = ""
    region: str = ""
    kind: str = ""
    status: str = ""
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1
    per_page: int = 20


def search_public_cases(
    session: Session, f: PublicSearch, bound: int | None = None
) -> tuple[list[Case], bool]:
    """One page of public cases, newest first, and whether another page follows (no COUNT over 100k rows).
    A word asks the index first (`word_search`; `bound` overrides its T, for tests)."""
    offset = (f.page - 1) * f.per_page
    if f.q:
        rows = page_of_word(session, f.q, lambda s: _filtered(s, f), offset, f.per_page + 1, bound)
        if rows is not None:
            return rows[: f.per_page], len(rows) > f.per_page
    stmt = _filtered(select(Case).options(*stored_public_text()), f)
    if f.q:  # a lone character: no pair to ask the index for, so the text is scanned
        like = f"%{f.q}%"
        stmt = stmt.where(or_(Case.public_title.like(like), Case.public_body.like(like)))
    stmt = stmt.order_by(Case.registered_at.desc(), Case.id.desc())
    rows = list(session.scalars(stmt.limit(f.per_page + 1).offset(offset)))
    return rows[: f.per_page], len(rows) > f.per_page


def _filtered(stmt: Select[Any], f: PublicSearch) -> Select[Any]:
    """The public cases the list's filters (all but the word) keep."""
    stmt = stmt.where(*public_conditions())
    if f.topic:
        stmt = stmt.where(or_(Case.topic_code == f.topic, Case.topic_code.like(f.topic + ".%")))
    if f.region:
        stmt = stmt.where(Case.region_code.like(f.region + "%"))
    if f.kind:
        stmt = stmt.where(Case.kind == f.kind)
    if f.status:
        stmt = stmt.where(Case.status == f.status)
    if f.date_from:
        stmt = stmt.where(Case.registered_at >= _local_midnight(f.date_from))
    if f.date_to:
        stmt = stmt.where(Case.registered_at < _local_midnight(f.date_to + timedelta(days=1)))
    return stmt


@dataclass
class Counts:
    """The handling figures of one group of cases (the one home of "on time" and "satisfied" for every board)."""

    received: int = 0
    replied: int = 0
    on_time: int = 0
    evaluated: int = 0
    satisfied: int = 0
    rehandled: int = 0

    def add(self, other: Counts) -> None:
        for name in ("received", "replied", "on_time", "evaluated", "satisfied", "rehandled"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.replied if self.replied else None

    @property
    def satisfaction_rate(self) -> float | None:
        return self.satisfied / self.evaluated if self.evaluated else None

    @property
    def rehandle_rate(self) -> float | None:
        return self.rehandled / self.replied if self.replied else None


Window = tuple[datetime, datetime] | None  # [start, end) of registration, aware UTC; None: all time


def in_window(window: Window) -> list[ColumnElement[bool]]:
    """Cases registered in the window (none: every case)."""
    return [] if window is None else [Case.registered_at >= window[0], Case.registered_at < window[1]]


def handling_counts(
    session: Session,
    key: ColumnElement[Any] | InstrumentedAttribute[Any],
    window: Window = None,
    *where: ColumnElement[bool],
) -> dict[Any, Counts]:
    """Counts per value of `key` (a column or expression) over the cases registered in the window:
    received, replied, replied by the handling deadline, evaluated, satisfied or partly, handled again."""
    replied = Case.replied_at.is_not(None)
    rows = session.execute(
        select(
            key,
            func.count(),
            func.sum(case((replied, 1), else_=0)),
            func.sum(case((and_(replied, Case.replied_at <= Case.handling_due_at), 1), else_=0)),
            func.sum(case((Case.evaluation.is_not(None), 1), else_=0)),
            func.sum(case((Case.evaluation.in_(("satisfied", "partly")), 1), else_=0)),
            func.sum(case((Case.round >= 2, 1), else_=0)),
        )
        .where(*in_window(window), *where)
        .group_by(key)
    )
    return {k: Counts(*(int(v or 0) for v in figures)) for k, *figures in rows}


@dataclass
class ScoreRow(Counts):
    """One department's line on the public scoreboard."""

    department_id: int = 0
    name: str = ""
    returned: int = 0
    returns_sent_back: int = 0  # returns the dispatchers did not accept: the case came back to the department
    escalated: int = 0
    reply_days: list[int] = field(default_factory=list)  # each reply's (from the record, for the reports)
    reply_days_sum: int = 0  # or their sum and number (from the rollup)
    reply_days_n: int = 0
    group_demands: int = 0  # committees' group demands (联名) the department received
    households: int = 0  # the households behind them

    @property
    def avg_reply_days(self) -> float | None:
        total, n = sum(self.reply_days) + self.reply_days_sum, len(self.reply_days) + self.reply_days_n
        return total / n if n else None


_CACHE: dict[tuple[str, bool, Window], tuple[float, list[ScoreRow]]] = {}
CACHE_SECONDS = 60.0


def scoreboard(
    session: Session, cal: WorkCalendar, english: bool = False, window: Window = None
) -> list[ScoreRow]:
    """Per department: received, on-time replies, working days to reply, satisfaction, returns, escalations
    (of the cases registered in the window: the annual and department reports read the same figures)."""
    key = (str(getattr(session.get_bind(), "url", "")), english, window)
    hit = _CACHE.get(key)
    if hit and monotonic() - hit[0] < CACHE_SECONDS:
        return hit[1]
    rows = {
        d.id: ScoreRow(department_id=d.id, name=(d.name_en if english and d.name_en else d.name))
        for d in session.scalars(select(Department).where(Department.active.is_(True)))
    }
    if window is None:  # all time: the rollup's (departments × months) rows
        for dep, figures in months(session):
            if dep in rows:
                for name, value in figures.items():
                    setattr(rows[dep], name, value)
    else:
        from_record(session, cal, rows, window)
    result = sorted(rows.values(), key=lambda r: (-r.received, r.name))
    _CACHE[key] = (monotonic(), result)
    return result


def from_record(session: Session, cal: WorkCalendar, rows: dict[int, ScoreRow], window: Window) -> None:
    """Fill the rows from every case registered in the window (the reports' path, and the rollup's check)."""
    for dep, counts in handling_counts(
        session, Case.department_id, window, Case.department_id.is_not(None)
    ).items():
        if dep in rows:
            rows[dep].add(counts)
    _count_returns(session, rows, window)
    notices = session.execute(
        select(EscalationNotice.department_id, func.count())
        .join(Case, Case.id == EscalationNotice.case_id)
        .where(EscalationNotice.level >= 2, *in_window(window))
        .group_by(EscalationNotice.department_id)
    )
    for dep, n in notices:
        if dep in rows:
            rows[dep].escalated = n
    _reply_days(session, cal, rows, window)
    _count_group_demands(session, rows, window)


def _count_returns(session: Session, rows: dict[int, ScoreRow], window: Window) -> None:
    """Each return counts against the department that returned (kept in the event: the case has left it),
    and a case it returned still counts as received by it."""
    events = session.execute(
        select(CaseEvent.case_id, CaseEvent.data, Case.department_id)
        .join(Case, Case.id == CaseEvent.case_id)
        .where(CaseEvent.action == "return", *in_window(window))
    )
    received_elsewhere: set[tuple[int, int]] = set()
    for case_id, data, now_with in events:
        dep = (data or {}).get("department_id")
        if dep in rows:
            rows[dep].returned += 1
            rows[dep].returns_sent_back += dep == now_with
            if dep != now_with:
                received_elsewhere.add((dep, case_id))
    for dep, _ in received_elsewhere:
        rows[dep].received += 1


def _count_group_demands(session: Session, rows: dict[int, ScoreRow], window: Window) -> None:
    """Committees' group demands (联名) per department, and the households behind them (not the confidential
    ones: `access.counts_in_group_figures`)."""
    groups = session.execute(
        select(Case.department_id, func.count(), func.sum(Case.households))
        .where(
            Case.households >= 2,
            Case.department_id.is_not(None),
            *in_window(window),
            Case.visibility.not_in(SEALED_FROM_GROUP_FIGURES),
        )
        .group_by(Case.department_id)
    )
    for dep, n, households in groups:
        if dep in rows:
            rows[dep].group_demands, rows[dep].households = int(n), int(households or 0)


def _reply_days(session: Session, cal: WorkCalendar, rows: dict[int, ScoreRow], window: Window) -> None:
    """Working days to reply, counted as everywhere else (deadlines.rules.workdays_to_reply)."""
    spans = session.execute(
        select(Case.department_id, Case.registered_at, Case.accepted_at, Case.replied_at).where(
            Case.replied_at.is_not(None), Case.department_id.is_not(None), *in_window(window)
        )
    ).all()
    for dep, registered, accepted, replied in spans:
        days = workdays_to_reply(cal, registered, replied, accepted)
        if dep in rows and days is not None:
            rows[dep].reply_days.append(days)
