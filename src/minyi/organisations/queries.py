"""Access-checked reads of organisations: a member sees its own organisation's submissions, nothing else (404)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from statistics import median

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from minyi.access import may_follow_case
from minyi.accounts.actor import Actor
from minyi.cases.models import Case
from minyi.departments.models import Department
from minyi.errors import NotFound
from minyi.locale import pick
from minyi.nlp.pii import redact
from minyi.organisations.models import Organisation, OrganisationCase, OrganisationMember

MISSING = ("案件", "case")


def member_organisation(session: Session, actor: Actor) -> Organisation | None:
    """The organisation the member acts for (None for anyone else)."""
    if actor.user_id is None:
        return None
    stmt = (
        select(Organisation)
        .join(OrganisationMember, OrganisationMember.organisation_id == Organisation.id)
        .where(OrganisationMember.user_id == actor.user_id)
    )
    return session.scalar(stmt)


def access_organisation_of(session: Session, actor: Actor) -> Organisation:
    """The member's organisation, or NotFound (a member without one, or not a member, sees nothing)."""
    org = member_organisation(session, actor)
    if org is None or not may_follow_case(actor, org.id, org.id):
        raise NotFound("组织", "organisation")
    return org


@dataclass(frozen=True)
class FollowedCase:
    """A case as the organisation that submitted it follows it: no contact of the person, the reply masked."""

    id: int
    title: str
    status: str
    department: str | None
    registered_at: datetime
    replied_at: datetime | None
    reply: str | None
    evaluation: str | None
    consent_person: str
    households: int | None


def _followed(case: Case, link: OrganisationCase, department: str | None) -> FollowedCase:
    return FollowedCase(
        id=case.id, title=redact(case.title), status=case.status, department=department,
        registered_at=case.registered_at, replied_at=case.replied_at,
        reply=redact(case.reply_text) if case.reply_text else None, evaluation=case.evaluation,
        consent_person=link.consent_person, households=case.households,
    )  # fmt: skip


def _rows(
    session: Session, organisation_id: int, case_id: int | None = None, limit: int = 200
) -> list[FollowedCase]:
    stmt = (
        select(Case, OrganisationCase, Department.name, Department.name_en)
        .join(OrganisationCase, OrganisationCase.case_id == Case.id)
        .outerjoin(Department, Department.id == Case.department_id)
        .where(OrganisationCase.organisation_id == organisation_id)
    )
    if case_id is not None:
        stmt = stmt.where(Case.id == case_id)
    rows = session.execute(stmt.order_by(Case.id.desc()).limit(limit)).all()
    return [_followed(c, link, pick(n, en or n) if n else None) for c, link, n, en in rows]


def followed_cases(session: Session, actor: Actor) -> list[FollowedCase]:
    """What the member's organisation submitted, newest first (one query)."""
    org = access_organisation_of(session, actor)
    return _rows(session, org.id)


def access_followed_case(session: Session, actor: Actor, case_id: int) -> FollowedCase:
    """One case the member's organisation submitted; any other case is missing (404)."""
    org = access_organisation_of(session, actor)
    found = _rows(session, org.id, case_id) if 1 <= case_id < 2**31 else []
    if not found:
        raise NotFound(*MISSING)
    return found[0]


@dataclass(frozen=True)
class Figures:
    """An organisation's own figures: what it submitted, how fast it was answered, how satisfied people were,
    and (committees) the group demands and the households behind them."""

    submitted: int
    replied: int
    median_days_to_reply: float | None
    judged: int
    satisfied: int
    group_demands: int
    households: int


def organisation_figures(session: Session, organisation_id: int) -> Figures:
    """The figures of one organisation, in two queries."""
    ok = case((Case.evaluation.in_(("satisfied", "partly")), 1), else_=0)
    row = session.execute(
        select(func.count(), func.count(Case.replied_at), func.count(Case.evaluation), func.coalesce(func.sum(ok), 0),
               func.count(Case.households), func.coalesce(func.sum(Case.households), 0))
        .join(OrganisationCase, OrganisationCase.case_id == Case.id)
        .where(OrganisationCase.organisation_id == organisation_id)
    ).one()  # fmt: skip
    pairs = session.execute(
        select(Case.registered_at, Case.replied_at)
        .join(OrganisationCase, OrganisationCase.case_id == Case.id)
        .where(OrganisationCase.organisation_id == organisation_id, Case.replied_at.is_not(None))
    ).all()
    days = [
        (replied - registered).total_seconds() / 86400 for registered, replied in pairs if replied is not None
    ]
    return Figures(submitted=row[0], replied=row[1], median_days_to_reply=round(median(days), 1) if days else None,
                   judged=row[2], satisfied=int(row[3]), group_demands=row[4], households=int(row[5]))  # fmt: skip
