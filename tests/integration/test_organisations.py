"""Organisations as intermediaries, on SQLite and PostgreSQL: a member submits with the person's consent on the
record, the organisation follows what it submitted (never the person's contact), nothing of another's."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minyi.accounts.actions import actor_of
from minyi.accounts.actor import SYSTEM, Actor
from minyi.accounts.models import User
from minyi.audit.models import AuditEntry
from minyi.cases.exports import iter_messages
from minyi.cases.models import Case
from minyi.cases.schemas import EvaluationIn
from minyi.errors import Forbidden, InvalidInput, InvalidTransition, NotFound
from minyi.insight.signals import message_weight
from minyi.organisations.actions import (
    do_add_member,
    do_add_organisation,
    do_rate_on_behalf,
    do_submit_on_behalf,
)
from minyi.organisations.models import OrganisationCase
from minyi.organisations.queries import access_followed_case, followed_cases, organisation_figures
from minyi.organisations.schemas import ConsentIn, MemberIn, OrganisationIn
from tests.support.factories import Org, make_org, submission

PHONE = "13912345678"


def member_of(session: Session, name: str, kind: str, username: str) -> Actor:
    org = do_add_organisation(session, SYSTEM, OrganisationIn.model_validate({"name": name, "kind": kind}))
    do_add_member(session, SYSTEM, org.id, MemberIn(username=username, password="correct horse battery"))
    user = session.scalars(select(User).where(User.username == username)).one()
    return actor_of(user)


def consent(**over: object) -> ConsentIn:
    data: dict[str, object] = {
        "consent_way": "written",
        "consent_on": date.today(),
        "consent_person": "王阿姨",
    }
    data.update(over)
    return ConsentIn.model_validate(data)


def test_a_member_submits_with_consent_and_the_organisation_follows_without_the_contact(
    session: Session,
) -> None:
    make_org(session)
    union = member_of(session, "市总工会", "union", "union-member")
    sub = submission(contact={"name": "王阿姨", "phone": PHONE})
    case = do_submit_on_behalf(session, union, sub, consent())
    assert (case.channel, case.on_behalf_of) == ("mass_org", "市总工会")
    link = session.get(OrganisationCase, case.id)
    assert link is not None and link.consent_way == "written" and case.households is None
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "organisation.submit")).one()
    assert entry.object_id == str(case.id)
    [followed] = followed_cases(session, union)
    assert followed.id == case.id and PHONE not in repr(followed)
    assert access_followed_case(session, union, case.id).status == case.status


def test_another_organisation_staff_and_strangers_see_nothing(session: Session) -> None:
    org = make_org(session)
    union = member_of(session, "市总工会", "union", "union-member")
    women = member_of(session, "市妇联", "womens_federation", "women-member")
    case = do_submit_on_behalf(session, union, submission(), consent())
    with pytest.raises(NotFound):
        access_followed_case(session, women, case.id)
    with pytest.raises(NotFound):  # a case the organisation did not submit
        access_followed_case(session, union, case.id + 1)
    with pytest.raises(NotFound):  # staff are not members
        followed_cases(session, org.actor("admin"))
    with pytest.raises(Forbidden):
        do_submit_on_behalf(session, org.actor("intake"), submission(), consent())
    assert followed_cases(session, women) == []


def test_consent_is_required_on_the_record_and_refusals_write_nothing(session: Session) -> None:
    make_org(session)
    union = member_of(session, "市总工会", "union", "union-member")
    before = session.scalar(select(func.count()).select_from(Case))
    with pytest.raises(InvalidInput):
        do_submit_on_behalf(
            session, union, submission(), consent(consent_on=date.today() + timedelta(days=2))
        )
    with pytest.raises(InvalidInput):  # only a committee registers households
        do_submit_on_behalf(session, union, submission(), consent(households=30))
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Case)) == before


def test_member_accounts_are_made_by_administrators_and_are_never_staff(session: Session) -> None:
    org = make_org(session)
    created = do_add_organisation(session, SYSTEM, OrganisationIn.model_validate({"name": "青年志愿者协会",
                                                                                  "kind": "social_organisation"}))  # fmt: skip
    with pytest.raises(Forbidden):
        do_add_member(
            session, org.actor("intake"), created.id, MemberIn(username="member-1", password="correct horse")
        )
    with pytest.raises(InvalidInput):
        do_add_member(
            session, SYSTEM, created.id + 99, MemberIn(username="member-2", password="correct horse")
        )
    actor = member_of(session, "社区服务中心", "social_organisation", "member-3")
    assert not actor.is_staff


def test_a_committees_group_demand_counts_its_households_in_the_signal_and_the_figures(
    session: Session,
) -> None:
    make_org(session)
    committee = member_of(session, "东湖社区居委会", "residents_committee", "committee-member")
    case = do_submit_on_behalf(session, committee, submission(), consent(households=86))
    assert (case.channel, case.households) == ("committee", 86)
    figures = organisation_figures(session, session.get(OrganisationCase, case.id).organisation_id)  # type: ignore[union-attr]
    assert (figures.submitted, figures.group_demands, figures.households, figures.replied) == (1, 1, 86, 0)
    [message] = [m for m in iter_messages(session) if m.id == case.tracking_code]
    assert message.households == 86 and message_weight(message) > message_weight(
        replace(message, households=0)
    )


def _replied(session: Session, org: Org, case: Case) -> None:
    from minyi.cases import actions as act

    act.do_accept(session, case, org.actor("intake"))
    act.do_assign(session, case, org.actor("intake"), department_id=org.housing.id)
    act.do_sign_for(session, case, org.actor("housing-handler"))
    act.do_reply(
        session, case, org.actor("housing-handler"), text="已派人现场核查并完成维修，联系电话13700001111。"
    )


def test_the_organisation_rates_on_the_persons_behalf_through_the_cases_own_command(session: Session) -> None:
    org = make_org(session)
    union = member_of(session, "市总工会", "union", "union-member")
    women = member_of(session, "市妇联", "womens_federation", "women-member")
    case = do_submit_on_behalf(session, union, submission(), consent())
    with pytest.raises(InvalidTransition):  # nothing to judge before the reply
        do_rate_on_behalf(session, union, case.id, EvaluationIn(evaluation="satisfied"))
    session.rollback()
    _replied(session, org, case)
    followed = access_followed_case(session, union, case.id)
    assert followed.reply and "13700001111" not in followed.reply  # the reply masked for the organisation
    with pytest.raises(NotFound):
        do_rate_on_behalf(session, women, case.id, EvaluationIn(evaluation="unsatisfied"))
    do_rate_on_behalf(session, union, case.id, EvaluationIn(evaluation="satisfied", comment="王阿姨很满意"))
    session.refresh(case)
    assert case.evaluation == "satisfied" and case.status == "closed"
    rated = session.scalars(select(AuditEntry).where(AuditEntry.action == "organisation.rate")).one()
    assert rated.object_id == str(case.id) and rated.actor_label == "union-member"
