"""Writes of the organisations slice: registering organisations and members, submitting on a person's behalf."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from minyi.access import ORGANISATION_ADMIN, may_submit_for_organisation
from minyi.accounts.actions import MEMBER_ROLE, do_create_user
from minyi.accounts.actor import Actor
from minyi.cases.commands import CITIZEN_COMMANDS, execute_citizen
from minyi.cases.models import Case
from minyi.cases.rules import Channel
from minyi.cases.schemas import CaseSubmission, EvaluationIn
from minyi.db import utcnow
from minyi.deadlines.workcal import CHINA
from minyi.departments.queries import check_region
from minyi.errors import Conflict, Forbidden, InvalidInput
from minyi.intake.actions import do_submit_case
from minyi.intake.steering import Steered, do_steer_to_reports, should_steer
from minyi.organisations.models import Organisation, OrganisationCase, OrganisationMember
from minyi.organisations.queries import access_followed_case, member_organisation
from minyi.organisations.rules import COMMITTEES, channel_of, check_consent
from minyi.organisations.schemas import ConsentIn, MemberIn, OrganisationIn
from minyi.uow import current_tx, write


def _admin_only(actor: Actor) -> None:
    if actor.role not in ORGANISATION_ADMIN and actor.role.value != "system":
        raise Forbidden(
            "仅管理员可登记组织及其成员", "only administrators register organisations and members"
        )


def do_add_organisation(session: Session, actor: Actor, body: OrganisationIn) -> Organisation:
    """Register an organisation (administrators), on the audit record."""
    _admin_only(actor)
    check_region(session, body.region_code)
    if session.scalar(select(func.count()).select_from(Organisation).where(Organisation.name == body.name)):
        raise Conflict("该组织已登记", "this organisation is already registered", field="name")
    with write(session, actor) as tx:
        org = Organisation(name=body.name, kind=body.kind.value, region_code=body.region_code, active=True)
        session.add(org)
        session.flush()
        tx.record("organisation.add", "organisation", org.id, {"name": body.name, "kind": body.kind.value})
    return org


def do_add_member(session: Session, actor: Actor, organisation_id: int, body: MemberIn) -> OrganisationMember:
    """Give an organisation a member's account (administrators): the account and its membership in one write."""
    _admin_only(actor)
    if session.get(Organisation, organisation_id) is None:
        raise InvalidInput("组织不存在", "unknown organisation", field="organisation_id")
    with write(session, actor) as tx:
        user = do_create_user(session, actor, username=body.username, password=body.password, role=MEMBER_ROLE,
                              display_name=body.display_name, member=True)  # fmt: skip
        member = OrganisationMember(user_id=user.id, organisation_id=organisation_id)
        session.add(member)
        tx.record("organisation.member", "organisation", organisation_id, {"user_id": user.id})
    return member


def _submitting_organisation(session: Session, actor: Actor) -> Organisation:
    org = member_organisation(session, actor)
    if org is None or not may_submit_for_organisation(actor, org.id, org.active):
        raise Forbidden("仅组织成员可代为反映", "only a member of an active organisation submits for people")
    return org


def do_report_on_behalf(session: Session, actor: Actor, sub: CaseSubmission) -> Steered:
    """A misconduct report (举报) brought by a member goes through the sealed channel as at every other door: never a
    case, never followed by the organisation; the member gets the receipt and passphrase once, for the person."""
    _submitting_organisation(session, actor)
    return do_steer_to_reports(session, sub)


def do_submit_on_behalf(session: Session, actor: Actor, sub: CaseSubmission, consent: ConsentIn) -> Case:
    """代为反映: a member submits a person's demand with the record of their consent; the case arrives by the
    organisation's channel and names it, and the organisation follows it. A committee's group demand (联名)
    carries the number of households behind it. A misconduct report is refused here (`do_report_on_behalf`)."""
    org = _submitting_organisation(session, actor)
    if should_steer(sub):  # never a case, whoever calls
        raise InvalidInput("举报须经举报专用通道提交", "misconduct reports go through the sealed channel",
                           field="kind")  # fmt: skip
    check_consent(
        consent.consent_way, consent.consent_on, utcnow().astimezone(CHINA).date(), consent.consent_person
    )
    if consent.households is not None and org.kind not in COMMITTEES:
        raise InvalidInput("只有居（村）民委员会可登记联名户数", "only a committee registers households",
                           field="households")  # fmt: skip
    sub = sub.model_copy(update={"channel": Channel(channel_of(org.kind)), "on_behalf_of": org.name})

    def link(case_id: int) -> None:  # in the registration's unit of work, after the (slow) understanding
        tx = current_tx(session)
        assert tx is not None
        # on the case: the collective-grievance signal reads the households there
        session.execute(update(Case).where(Case.id == case_id).values(households=consent.households))
        session.add(OrganisationCase(
            case_id=case_id, organisation_id=org.id, member_user_id=actor.user_id, consent_way=consent.consent_way,
            consent_on=consent.consent_on, consent_person=consent.consent_person,
        ))  # fmt: skip
        tx.record("organisation.submit", "case", case_id, {"organisation_id": org.id, "consent_way": consent.consent_way,
                  "consent_on": consent.consent_on.isoformat(), "households": consent.households})  # fmt: skip

    case, _created = do_submit_case(session, sub, actor=actor, within=link)
    return case


def do_rate_on_behalf(session: Session, actor: Actor, case_id: int, body: EvaluationIn) -> Case:
    """评价 on the person's behalf, when they asked the organisation to: the case's own citizen command (the same
    checks and record as the person's), and the global record names the member who gave it."""
    followed = access_followed_case(
        session, actor, case_id
    )  # 404 for anything the organisation did not submit
    code = session.scalar(select(Case.tracking_code).where(Case.id == followed.id))
    assert code is not None
    with write(session, actor) as tx:
        case = execute_citizen(session, code, CITIZEN_COMMANDS["evaluate"], body, staff_credentials=False)
        tx.record("organisation.rate", "case", case.id, {"evaluation": body.evaluation.value,
                                                         "on_behalf": True})  # fmt: skip
    return case
