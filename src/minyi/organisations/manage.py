"""Administrators manage organisations: change or deactivate one; add a member with a one-time password, remove
one, reset one's password. Each is one unit of work with its audit entry; every refusal comes before it."""

from __future__ import annotations

import secrets

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.accounts.manage import do_reset_password, sign_out_everywhere
from minyi.accounts.models import User
from minyi.departments.queries import check_region
from minyi.errors import Conflict
from minyi.organisations.actions import do_add_member
from minyi.organisations.admin_queries import access_member, access_organisation_by_id
from minyi.organisations.models import Organisation, OrganisationMember
from minyi.organisations.schemas import MemberIn, MemberRef, NewMemberIn, OrganisationEdit
from minyi.uow import write


def do_edit_organisation(
    session: Session, actor: Actor, organisation_id: int, body: OrganisationEdit
) -> None:
    """Rename, re-kind, re-place, deactivate or reactivate an organisation, with what it was on the record."""
    access_organisation_by_id(session, actor, organisation_id)
    check_region(session, body.region_code)
    taken = select(func.count()).select_from(Organisation)
    if session.scalar(taken.where(Organisation.name == body.name, Organisation.id != organisation_id)):
        raise Conflict("该组织已登记", "this organisation is already registered", field="name")
    with write(session, actor) as tx:
        org = access_organisation_by_id(session, actor, organisation_id, lock=True)
        before = {"name": org.name, "kind": org.kind, "region_code": org.region_code, "active": org.active}
        org.name, org.kind, org.region_code, org.active = (
            body.name,
            body.kind.value,
            body.region_code,
            body.active,
        )
        after = {"name": org.name, "kind": org.kind, "region_code": org.region_code, "active": org.active}
        tx.record("organisation.edit", "organisation", org.id, {"before": before, "after": after})


def do_enrol_member(session: Session, actor: Actor, organisation_id: int, body: NewMemberIn) -> str:
    """A member's account with a generated temporary password (returned once, to be changed at first sign-in)."""
    access_organisation_by_id(session, actor, organisation_id)
    temporary = secrets.token_urlsafe(9)
    with write(session, actor):
        member = do_add_member(session, actor, organisation_id, MemberIn(
            username=body.username, password=temporary, display_name=body.display_name))  # fmt: skip
        user = session.get(User, member.user_id)
        assert user is not None
        user.must_change_password = True
    return temporary


def do_remove_member(session: Session, actor: Actor, organisation_id: int, body: MemberRef) -> None:
    """Take a member out of the organisation: the membership ends, the account is disabled and signed out (it
    stays, named by the records it left)."""
    access_member(session, actor, organisation_id, body.user_id)
    with write(session, actor) as tx:
        user = access_member(session, actor, organisation_id, body.user_id)
        session.execute(delete(OrganisationMember).where(OrganisationMember.user_id == user.id))
        user.active = False
        sign_out_everywhere(session, user.id)
        tx.record("organisation.member_removed", "organisation", organisation_id, {"user_id": user.id})


def do_reset_member_password(session: Session, actor: Actor, organisation_id: int, body: MemberRef) -> str:
    """A temporary password for one of the organisation's members (shown once; the member must change it)."""
    access_member(session, actor, organisation_id, body.user_id)
    return do_reset_password(session, actor, body.user_id)
