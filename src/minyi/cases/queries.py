"""Access-checked reads: a case someone may not see answers exactly like one that does not exist."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, exists, func, or_, select, text
from sqlalchemy.orm import Session

from minyi.access import ALL_DEPARTMENTS, CaseFacts, is_staff
from minyi.accounts.actor import Actor
from minyi.cases.models import Case, CaseEvent, CaseGrant, CoHandler, ExtensionRequest
from minyi.cases.rules import OPEN, Status
from minyi.cases.tracking import code_in, normalize_code
from minyi.db import utcnow
from minyi.deadlines.queries import overdue_filter
from minyi.errors import NotFound
from minyi.fields import is_id


def visible_filter(actor: Actor) -> list:  # type: ignore[type-arg]
    """SQL conditions restricting cases to those the actor may see (access.may_see_case, as SQL)."""
    conds = []
    if not actor.clearance:
        granted = exists().where(CaseGrant.case_id == Case.id, CaseGrant.user_id == actor.user_id)
        conds.append(or_(Case.visibility != "confidential", granted))
    if actor.role not in ALL_DEPARTMENTS:
        co = exists().where(CoHandler.case_id == Case.id, CoHandler.department_id == actor.department_id)
        conds.append(or_(Case.department_id == actor.department_id, co))
    return conds


def access_case_by_id(session: Session, actor: Actor, case_id: int, *, for_update: bool = False) -> Case:
    """The case if the actor may see it; NotFound otherwise (missing and forbidden look the same).

    `for_update` locks the row (PostgreSQL) and is for use inside a unit of work (minyi.uow.write).
    """
    if not is_id(case_id):
        raise NotFound()
    stmt = select(Case).where(Case.id == case_id, *visible_filter(actor))
    if for_update:  # lock the row and refresh what an earlier read may have left stale
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    case = session.scalar(stmt) if is_staff(actor) else None
    if case is None:
        raise NotFound()
    return case


def access_case_by_tracking_code(session: Session, raw_code: str, *, for_update: bool = False) -> Case:
    """The case a tracking code opens; a mistyped code is refused by its check character."""
    try:
        code = normalize_code(raw_code)
    except Exception as exc:
        raise NotFound() from exc
    stmt = select(Case).where(Case.tracking_code == code)
    if for_update:  # lock the row and refresh what an earlier read may have left stale
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    case = session.scalar(stmt)
    if case is None:
        raise NotFound()
    return case


def get_timeline(session: Session, case: Case, *, public_only: bool) -> list[CaseEvent]:
    """The case's events in order; the public sees only public ones."""
    stmt = select(CaseEvent).where(CaseEvent.case_id == case.id)
    if public_only:
        stmt = stmt.where(CaseEvent.public.is_(True))
    return list(session.scalars(stmt.order_by(CaseEvent.seq)))


def case_facts(session: Session, case: Case) -> CaseFacts:
    """What the pure access rules need to know about one case (co-handlers and grants read here)."""
    grants = session.scalars(select(CaseGrant.user_id).where(CaseGrant.case_id == case.id))
    return CaseFacts(
        department_id=case.department_id,
        co_handler_ids=frozenset(get_co_handler_ids(session, case.id)),
        visibility=case.visibility,
        anonymous=case.anonymous,
        granted_user_ids=frozenset(grants),
    )


def get_co_handler_ids(session: Session, case_id: int) -> list[int]:
    return list(session.scalars(select(CoHandler.department_id).where(CoHandler.case_id == case_id)))


def get_pending_extensions(session: Session, case_id: int) -> list[ExtensionRequest]:
    return list(
        session.scalars(
            select(ExtensionRequest).where(
                ExtensionRequest.case_id == case_id, ExtensionRequest.status == "pending"
            )
        )
    )


@dataclass(frozen=True)
class QueueFilter:
    """Which work queue, and how to narrow it."""

    queue: str = "mine"  # to_sign | mine | overdue | dispatch | returned | all | triage | urgent
    status: str | None = None
    q: str | None = None
    page: int = 1
    per_page: int = 20


HANDLING_STATUSES = (Status.assigned, Status.in_progress, Status.rehandling)


def queue_statement(actor: Actor, f: QueueFilter, now: datetime | None = None) -> Select[Case]:
    """The SELECT behind a work queue, ordered by due date (soonest first)."""
    now = now or utcnow()
    stmt = select(Case).where(*visible_filter(actor))
    if f.queue == "to_sign":  # assigned to my department and not yet signed for: the newest work
        stmt = stmt.where(Case.department_id == actor.department_id, Case.status == Status.assigned)
    elif f.queue == "mine":
        stmt = stmt.where(Case.department_id == actor.department_id, Case.status.in_(HANDLING_STATUSES))
    elif f.queue == "overdue":
        stmt = stmt.where(*overdue_filter(now))
    elif f.queue == "dispatch":
        stmt = stmt.where(Case.status.in_((Status.registered, Status.accepted, Status.returned)))
    elif f.queue == "returned":
        stmt = stmt.where(Case.status == Status.returned)
    elif f.queue == "triage":
        stmt = stmt.where(Case.needs_triage.is_(True), Case.status.in_((Status.registered, Status.accepted)))
    elif f.queue == "urgent":
        stmt = stmt.where(Case.urgent.is_(True), Case.status.in_([s.value for s in OPEN]))
    if f.status:
        stmt = stmt.where(Case.status == f.status)
    if f.q:
        code = code_in(f.q)  # read out as JVVH-Y4RA-A1N7, typed any way
        like = Case.title.like(f"%{f.q}%")
        stmt = stmt.where(or_(like, Case.tracking_code == code) if code else like)
    if f.queue == "all" and not f.status:  # finished cases have no deadline: they come last
        return stmt.order_by(Case.due_at.is_(None), Case.due_at, Case.id)
    # every open case has a deadline: walk the (department, due date) index in order and stop at the page
    return stmt.where(Case.due_at.is_not(None)).order_by(Case.due_at, Case.id)


COUNT_CAP = 1000


def list_queue(
    session: Session, actor: Actor, f: QueueFilter, *, count: bool = True
) -> tuple[list[Case], int]:
    """One page of a work queue and (optionally) its total, counted up to COUNT_CAP (shown as "1000+")."""
    stmt = queue_statement(actor, f)
    items = _page_by_deadline(session, stmt.limit(f.per_page).offset((f.page - 1) * f.per_page))
    if not count:
        return items, -1
    capped = stmt.order_by(None).with_only_columns(Case.id).limit(COUNT_CAP).subquery()
    return items, int(session.scalar(select(func.count()).select_from(capped)) or 0)


def _page_by_deadline(session: Session, stmt: Select[Case]) -> list[Case]:
    """A queue's page walked along the (department, due date) index, stopping at the page.

    PostgreSQL underestimates a queue's rows about twentyfold (every open case has a due date and no closed one
    has, which its statistics take as independent), and then prefers reading every department's cases in the
    queue's states and sorting them: 11,000 rows for a page of 20 at 300,000 cases, ten times that at 10
    million. Sorting is discouraged for this one statement, so that the walk wins where it exists (a queue
    with no ordered index still sorts)."""
    if session.get_bind().dialect.name != "postgresql":
        return list(session.scalars(stmt))
    session.execute(text("SET LOCAL enable_sort = off"))
    try:
        return list(session.scalars(stmt))
    finally:
        session.execute(text("SET LOCAL enable_sort TO DEFAULT"))
