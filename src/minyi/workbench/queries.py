"""Read-only queries of the workbench that the core does not offer: the board, names, events, links."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.accounts.models import User
from minyi.cases.models import Case, CaseEvent, CaseLink
from minyi.cases.queries import visible_filter
from minyi.deadlines.models import EscalationNotice
from minyi.deadlines.queries import overdue_filter
from minyi.deadlines.rules import LATE_STATUSES
from minyi.departments.models import Department, Region, RoutingRule
from minyi.locale import current_locale
from minyi.taxonomy import load_taxonomy


def departments(session: Session, active_only: bool = True) -> list[Department]:
    """Departments by name."""
    stmt = select(Department).order_by(Department.code)
    if active_only:
        stmt = stmt.where(Department.active.is_(True))
    return list(session.scalars(stmt))


def staff_users(session: Session) -> list[User]:
    """All staff accounts, by department and name."""
    return list(session.scalars(select(User).order_by(User.department_id, User.username)))


def routing_rules(session: Session) -> list[RoutingRule]:
    """The routing table, highest priority first."""
    return list(session.scalars(select(RoutingRule).order_by(RoutingRule.priority.desc(), RoutingRule.id)))


def topic_names() -> dict[str, str]:
    """Topic names by code, in the reader's language, for showing routing rules by name."""
    taxonomy, english = load_taxonomy(), current_locale() == "en"
    return {code: taxonomy.name_of(code, english) for code in taxonomy.topics}


def region_names(session: Session) -> dict[str, str]:
    """Region names by code, in the reader's language."""
    english = current_locale() == "en"
    rows = session.execute(select(Region.code, Region.name, Region.name_en)).all()
    return {code: (en if english and en else zh) for code, zh, en in rows}


def all_events(session: Session, case_id: int) -> list[CaseEvent]:
    """The whole history of a case for staff (public and internal steps)."""
    return list(
        session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.seq))
    )


def linked_repeats(session: Session, actor: Actor, case_id: int) -> list[tuple[Case, float]]:
    """Earlier cases about the same matter that this actor may see, most similar first."""
    stmt = (
        select(Case, CaseLink.similarity)
        .join(CaseLink, CaseLink.other_case_id == Case.id)
        .where(CaseLink.case_id == case_id, *visible_filter(actor))
        .order_by(CaseLink.similarity.desc())
        .limit(10)
    )
    return [(c, s) for c, s in session.execute(stmt).all()]


@dataclass
class BoardLine:
    """One department on the supervisor board."""

    department_id: int | None
    late: int = 0
    soon: int = 0


def board_by_department(session: Session, actor: Actor, now: datetime, soon_days: int = 2) -> list[BoardLine]:
    """Late and soon-late open cases counted per department (two grouped queries)."""
    base = select(Case.department_id, func.count()).where(
        Case.status.in_(LATE_STATUSES), *visible_filter(actor)
    )
    lines: dict[int | None, BoardLine] = {}
    for dep, n in session.execute(base.where(*overdue_filter(now)).group_by(Case.department_id)):
        lines.setdefault(dep, BoardLine(dep)).late = n
    soon_stmt = base.where(Case.due_at >= now, Case.due_at < now + timedelta(days=soon_days))
    for dep, n in session.execute(soon_stmt.group_by(Case.department_id)):
        lines.setdefault(dep, BoardLine(dep)).soon = n
    return sorted(lines.values(), key=lambda b: (-b.late, -b.soon))


UNASSIGNED = 0  # the board's "department" of late cases no department holds (awaiting dispatch)


def late_cases(
    session: Session, actor: Actor, now: datetime, department_id: int, page: int = 1, per_page: int = 10
) -> tuple[list[Case], int]:
    """One page of one department's open cases past their deadline, most overdue first, and how many there are."""
    owner = (
        Case.department_id.is_(None) if department_id == UNASSIGNED else Case.department_id == department_id
    )
    stmt = select(Case).where(*overdue_filter(now), owner, *visible_filter(actor))
    total = int(session.scalar(stmt.with_only_columns(func.count()).order_by(None)) or 0)
    items = session.scalars(stmt.order_by(Case.due_at, Case.id).limit(per_page).offset((page - 1) * per_page))
    return list(items), total


def cases_in(
    session: Session, actor: Actor, statuses: Sequence[str], *, urgent: bool = False, limit: int = 20
) -> list[Case]:
    """Open cases in some statuses (disputed returns, urgent ones), oldest deadline first."""
    stmt = select(Case).where(Case.status.in_(statuses), *visible_filter(actor))
    if urgent:
        stmt = stmt.where(Case.urgent.is_(True))
    return list(session.scalars(stmt.order_by(Case.due_at, Case.id).limit(limit)))


def recent_notices(session: Session, actor: Actor, limit: int = 20) -> list[tuple[EscalationNotice, Case]]:
    """The latest escalation notices with their cases (only cases the actor may see)."""
    stmt = (
        select(EscalationNotice, Case)
        .join(Case, Case.id == EscalationNotice.case_id)
        .where(*visible_filter(actor))
        .order_by(EscalationNotice.issued_at.desc())
        .limit(limit)
    )
    return [(n, c) for n, c in session.execute(stmt).all()]
