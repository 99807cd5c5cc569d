"""Experts and advisory bodies as a channel, on SQLite and PostgreSQL: staff ask an expert body's member for an
opinion on a case or suggestion; only that expert may give it (404 for anyone else), once, masked, signed by its
audit-chain entry and the SHA-256 of the document; only the inviter publishes it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minyi.accounts.actor import SYSTEM, Actor
from minyi.audit.log import verify_entries
from minyi.audit.models import AuditEntry
from minyi.cases import actions as act
from minyi.errors import Conflict, Forbidden, InvalidInput, NotFound
from minyi.organisations.expert_queries import published_opinions, requests_on
from minyi.organisations.experts import do_give_expert_opinion, do_invite_expert, do_publish_expert_opinion
from minyi.organisations.rules import opinion_hash
from minyi.organisations.schemas import ExpertInviteIn
from minyi.suggestions import public_hooks
from tests.integration.test_organisations import member_of
from tests.support.factories import Org, make_org, submit
from tests.support.suggestions import answered_suggestion


def _invite(session: Session, actor: Actor, subject_type: str, subject_id: int, expert: Actor) -> int:
    body = ExpertInviteIn(subject_type=subject_type, subject_id=subject_id, expert_user_id=expert.user_id or 0,  # type: ignore[arg-type]
                          question="请就该小区加装电梯的结构安全给出意见")  # fmt: skip
    return do_invite_expert(session, actor, body).id


def _setup(session: Session) -> tuple[Org, Actor, Actor, int]:
    org = make_org(session)
    expert = member_of(session, "市城市规划专家咨询委员会", "expert_body", "expert-1")
    case = submit(session)
    act.do_accept(session, case, org.actor("intake"))
    act.do_assign(session, case, org.actor("intake"), department_id=org.housing.id)
    return org, expert, member_of(session, "市总工会", "union", "union-1"), case.id


def test_only_the_invited_expert_gives_a_signed_opinion_once_and_the_inviter_publishes_it(
    session: Session,
) -> None:
    org, expert, union, case_id = _setup(session)
    other = member_of(session, "市法学会专家组", "expert_body", "expert-2")
    handler = org.actor("housing-handler")
    with pytest.raises(InvalidInput):  # a union member is no expert
        _invite(session, handler, "case", case_id, union)
    with pytest.raises(NotFound):  # a case the transport handler may not see
        _invite(session, org.actor("transport-handler"), "case", case_id, expert)
    request_id = _invite(session, handler, "case", case_id, expert)
    for stranger in (other, union, handler, SYSTEM):
        with pytest.raises(NotFound):
            do_give_expert_opinion(session, stranger, request_id, "我的意见")
    row = do_give_expert_opinion(session, expert, request_id, "结构可行。联系人电话13912345678。")
    assert row.body is not None and "13912345678" not in row.body
    # signed with the name the pages show (the body's, as the expert has no display name), never the login: the
    # published hash can be checked from what is published
    assert row.content_hash == opinion_hash(
        "case", case_id, "市城市规划专家咨询委员会", "市城市规划专家咨询委员会", row.body
    )
    assert row.content_hash != opinion_hash(
        "case", case_id, expert.label, "市城市规划专家咨询委员会", row.body
    )
    entry = session.scalars(select(AuditEntry).where(AuditEntry.seq == row.audit_seq)).one()
    assert (entry.hash, entry.action, entry.data["sha256"]) == (
        row.audit_hash,
        "expert.opinion",
        row.content_hash,
    )
    assert list(verify_entries(session)) == []
    with pytest.raises(Conflict):
        do_give_expert_opinion(session, expert, request_id, "改一下")
    assert published_opinions(session, "case", case_id) == []
    with pytest.raises(Forbidden):  # only the inviter decides
        do_publish_expert_opinion(session, org.actor("housing-head"), request_id, True)
    do_publish_expert_opinion(session, handler, request_id, True)
    [shown] = published_opinions(session, "case", case_id)
    assert shown.body == row.body and expert.label == "expert-1"  # no display name: the login is the label
    assert shown.expert == "市城市规划专家咨询委员会"  # shown by the body's name, never by the login
    assert [v.id for v in requests_on(session, org.actor("supervisor"), "case", case_id)] == [request_id]


def test_an_opinion_on_a_suggestion_is_asked_by_staff_who_see_it(session: Session) -> None:
    org, expert, _union, _case = _setup(session)
    item = answered_suggestion(
        session,
        org,
        number=7,
        subject="老旧小区加装电梯",
        body="建议加快老旧小区加装电梯的审批流程。",
        answer="已采纳：我局将于本年度内简化加装电梯审批，并联办理规划和施工许可，压缩至二十个工作日。",
    )
    with pytest.raises(NotFound):
        _invite(session, org.actor("transport-handler"), "suggestion", item.id, expert)
    request_id = _invite(session, org.actor("housing-handler"), "suggestion", item.id, expert)
    assert do_give_expert_opinion(session, expert, request_id, "审批可并联办理").audit_seq is not None
    assert public_hooks.published_opinions(session, [item.id]) == {}  # given, not yet published
    do_publish_expert_opinion(session, org.actor("housing-handler"), request_id, True)
    [shown] = public_hooks.published_opinions(session, [item.id, item.id + 1])[item.id]
    assert shown.id == request_id and shown.body == "审批可并联办理"


def test_an_expert_whose_body_was_deactivated_can_no_longer_answer(session: Session) -> None:
    """Found by an attack: a deactivated body's expert still answered and the answer could be published."""
    from minyi.organisations.models import Organisation
    from minyi.uow import write

    org, expert, _union, case_id = _setup(session)
    request_id = _invite(session, org.actor("housing-handler"), "case", case_id, expert)
    with write(session, SYSTEM) as tx:
        name = "市城市规划专家咨询委员会"
        body = session.scalars(select(Organisation).where(Organisation.name == name)).one()
        body.active = False
        tx.record("organisation.edit", "organisation", body.id, {"active": False})
    with pytest.raises(NotFound):
        do_give_expert_opinion(session, expert, request_id, "结构可行。")


def test_the_due_date_is_checked_before_the_write_and_the_status_follows_it(session: Session) -> None:
    from datetime import date, timedelta

    from minyi.audit.models import AuditEntry as Entry
    from minyi.organisations.models import ExpertRequest

    org, expert, _union, case_id = _setup(session)
    handler = org.actor("housing-handler")
    before = session.scalar(select(func.count()).select_from(Entry))
    for due, field in (
        (date.today() - timedelta(days=2), "due_on"),
        (date.today() + timedelta(days=400), "due_on"),
    ):
        body = ExpertInviteIn(subject_type="case", subject_id=case_id, expert_user_id=expert.user_id or 0,
                              question="请给出意见", due_on=due)  # fmt: skip
        with pytest.raises(InvalidInput) as refused:
            do_invite_expert(session, handler, body)
        assert refused.value.field == field
    assert session.scalar(select(func.count()).select_from(ExpertRequest)) == 0
    assert session.scalar(select(func.count()).select_from(Entry)) == before  # nothing half-written
    due = date.today() + timedelta(days=5)
    body = ExpertInviteIn(subject_type="case", subject_id=case_id, expert_user_id=expert.user_id or 0,
                          question="请给出意见", due_on=due)  # fmt: skip
    request_id = do_invite_expert(session, handler, body).id
    [view] = requests_on(session, handler, "case", case_id)
    assert (view.due_on, view.status) == (due, "waiting")
    do_give_expert_opinion(session, expert, request_id, "可行。")
    assert requests_on(session, handler, "case", case_id)[0].status == "given"
    do_publish_expert_opinion(session, handler, request_id, True)
    assert requests_on(session, handler, "case", case_id)[0].status == "published"
