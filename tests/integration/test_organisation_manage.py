"""Administrators' writes on organisations, on SQLite and PostgreSQL: a deactivated organisation's members no
longer submit (and still follow), a removed member's account is disabled and signed out, a member of another
organisation is missing, each write on the audit record."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.accounts.actions import actor_of
from minyi.accounts.models import User
from minyi.audit.models import AuditEntry
from minyi.errors import Forbidden, NotFound
from minyi.organisations.actions import do_add_organisation, do_submit_on_behalf
from minyi.organisations.manage import (
    do_edit_organisation,
    do_enrol_member,
    do_remove_member,
    do_reset_member_password,
)
from minyi.organisations.queries import followed_cases
from minyi.organisations.schemas import MemberRef, NewMemberIn, OrganisationEdit, OrganisationIn
from tests.integration.test_organisations import consent
from tests.support.factories import make_org, submission


def test_deactivation_removal_and_reset_are_administrators_writes_on_the_record(session: Session) -> None:
    admin = make_org(session).actor("admin")
    union = do_add_organisation(
        session, admin, OrganisationIn.model_validate({"name": "市总工会", "kind": "union"})
    )
    other = do_add_organisation(
        session, admin, OrganisationIn.model_validate({"name": "团市委", "kind": "youth_league"})
    )
    once = do_enrol_member(session, admin, union.id, NewMemberIn(username="union-1"))
    user = session.scalars(select(User).where(User.username == "union-1")).one()
    assert user.must_change_password and len(once) >= 12
    member = actor_of(user)
    case = do_submit_on_behalf(session, member, submission(), consent())
    do_edit_organisation(
        session, admin, union.id, OrganisationEdit(name="市总工会", kind="union", active=False)
    )  # type: ignore[arg-type]
    with pytest.raises(Forbidden):
        do_submit_on_behalf(session, member, submission(), consent())
    assert [c.id for c in followed_cases(session, member)] == [case.id]  # still follows what it submitted
    with pytest.raises(NotFound):  # a member of another organisation is missing there
        do_reset_member_password(session, admin, other.id, MemberRef(user_id=user.id))
    with pytest.raises(NotFound):  # and staff other than administrators find nothing
        do_remove_member(session, member, union.id, MemberRef(user_id=user.id))
    assert do_reset_member_password(session, admin, union.id, MemberRef(user_id=user.id)) != once
    do_remove_member(session, admin, union.id, MemberRef(user_id=user.id))
    session.refresh(user)
    assert user.active is False
    with pytest.raises(NotFound):
        followed_cases(session, member)
    actions = session.scalars(select(AuditEntry.action).where(AuditEntry.actor_role == "admin")).all()
    assert {
        "organisation.edit",
        "organisation.member",
        "user.reset_password",
        "organisation.member_removed",
    } <= set(actions)
