"""Administrators' writes on organisations, on SQLite and PostgreSQL: a deactivated organisation's members no
longer submit (and still follow), a removed member's account is disabled and signed out, a member of another
organisation is missing, each write on the audit record."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.accounts.actions import actor_of
from minyi.accounts.models import User
from minyi.audit.models import AuditEntry
from minyi.errors import Forbidden, NotFound
from minyi.intake import actions as intake_actions
from minyi.organisations.actions import do_add_organisation, do_submit_on_behalf
from minyi.organisations.manage import (
    do_edit_organisation,
    do_enrol_member,
    do_remove_member,
    do_reset_member_password,
)
from minyi.organisations.models import OrganisationCase
from minyi.organisations.queries import followed_cases
from minyi.organisations.schemas import MemberRef, NewMemberIn, OrganisationEdit, OrganisationIn
from minyi.settings import get_settings
from minyi.uow import current_tx
from tests.integration.test_organisations import consent, member_of
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


def test_a_members_submission_is_understood_before_the_write_begins(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_org(session)
    committee = member_of(session, "东湖社区居委会", "residents_committee", "committee-1")
    monkeypatch.setattr(get_settings(), "understanding", "inline")
    seen: list[object] = []

    def understand(s: Session, *args: object, **kwargs: object) -> object:
        seen.append(current_tx(s))  # the writer's unit of work, if one were open
        return SimpleNamespace(fields={}, keys=[], links=[], summary={})

    monkeypatch.setattr(intake_actions, "understand_text", understand)
    case = do_submit_on_behalf(session, committee, submission(), consent(households=12))
    assert seen == [None]  # the model ran with no write open (the writer lock is free)
    assert case.households == 12 and session.get(OrganisationCase, case.id) is not None
