"""Administrators' reads of organisations: the list, one organisation with its members and figures (404 to others)."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minyi.access import ORGANISATION_ADMIN
from minyi.accounts.actor import Actor
from minyi.accounts.models import User
from minyi.accounts.roles import Role
from minyi.errors import NotFound
from minyi.organisations.models import Organisation, OrganisationMember
from minyi.organisations.queries import organisation_figures
from minyi.organisations.schemas import MemberOut, OrganisationOut

MISSING = ("组织", "organisation")


def check_organisation_admin(actor: Actor) -> None:
    """Only administrators (and the console) manage organisations; anyone else is told there is nothing (404)."""
    if actor.role not in ORGANISATION_ADMIN and actor.role != Role.system:
        raise NotFound(*MISSING)


def access_organisation_by_id(
    session: Session, actor: Actor, organisation_id: int, *, lock: bool = False
) -> Organisation:
    """One organisation for an administrator; missing and forbidden look the same (404)."""
    check_organisation_admin(actor)
    org = None
    if 1 <= organisation_id < 2**31:
        org = session.get(Organisation, organisation_id, with_for_update=lock, populate_existing=lock)
    if org is None:
        raise NotFound(*MISSING)
    return org


def access_member(session: Session, actor: Actor, organisation_id: int, user_id: int) -> User:
    """A member's account of this organisation; another organisation's member, or staff, is missing (404)."""
    access_organisation_by_id(session, actor, organisation_id)
    stmt = (
        select(User)
        .join(OrganisationMember, OrganisationMember.user_id == User.id)
        .where(OrganisationMember.organisation_id == organisation_id, User.id == user_id)
    )
    user = session.scalar(stmt)
    if user is None:
        raise NotFound("成员", "member")
    return user


def members_of(session: Session, organisation_id: int) -> list[MemberOut]:
    """The organisation's members, by username (one query)."""
    stmt = (
        select(User)
        .join(OrganisationMember, OrganisationMember.user_id == User.id)
        .where(OrganisationMember.organisation_id == organisation_id)
        .order_by(User.username)
    )
    return [
        MemberOut(user_id=u.id, username=u.username, display_name=u.display_name, active=u.active,
                  must_change_password=u.must_change_password)
        for u in session.scalars(stmt)
    ]  # fmt: skip


def organisation_view(
    session: Session, org: Organisation, *, temporary_password: str | None = None
) -> OrganisationOut:
    """One organisation as administrators see it: members and its figures (response time, satisfaction)."""
    return OrganisationOut(
        id=org.id, name=org.name, kind=org.kind, region_code=org.region_code, active=org.active,
        members=members_of(session, org.id), figures=asdict(organisation_figures(session, org.id)),
        temporary_password=temporary_password,
    )  # fmt: skip


def list_organisations(session: Session, actor: Actor) -> list[tuple[Organisation, int]]:
    """Every organisation with its number of members, by name (one query)."""
    check_organisation_admin(actor)
    count = (
        select(func.count())
        .select_from(OrganisationMember)
        .where(OrganisationMember.organisation_id == Organisation.id)
        .scalar_subquery()
    )
    return [(o, int(n)) for o, n in session.execute(select(Organisation, count).order_by(Organisation.name))]
