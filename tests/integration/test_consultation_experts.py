"""Invited opinions signed on the audit chain, and hearing registrations with capacity and confirmation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minyi.accounts.actor import SYSTEM
from minyi.audit.log import verify_entries
from minyi.audit.models import AuditEntry
from minyi.consultation import expert_rules as er
from minyi.consultation import experts
from minyi.consultation.models import ExpertOpinion, HearingRegistration
from minyi.db import utcnow
from minyi.errors import Conflict, InvalidInput, NotFound
from minyi.uow import write
from tests.support.consultations import make_consultation
from tests.support.factories import Org, make_org


@pytest.fixture
def org(session: Session) -> Org:
    return make_org(session)


def _count(session: Session, model: type) -> int:
    n = session.scalar(select(func.count()).select_from(model)) or 0
    session.rollback()
    return int(n)


def test_an_invited_experts_opinion_is_published_with_their_name_and_signed_on_the_chain(
    session: Session, org: Org
) -> None:
    c = make_consultation(session, org)
    invited = experts.do_invite(session, c, org.actor("housing-head"), role="expert", name="王教授",
                                affiliation="某大学建筑学院")  # fmt: skip
    opinion = experts.access_invitation(session, c, experts.invitation_token(invited))
    done = experts.do_submit_opinion(session, c, opinion, body="建议补贴按楼层分档。联系人张三13812345678")
    assert "13812345678" not in (done.body or "")
    assert done.content_hash == er.content_hash(c.id, "expert", "王教授", "某大学建筑学院", done.body or "")
    entry = session.get(AuditEntry, done.audit_seq)
    assert entry is not None and entry.hash == done.audit_hash
    assert entry.data["sha256"] == done.content_hash and entry.actor_label == "expert:王教授"
    assert list(verify_entries(session)) == []
    entries = _count(session, AuditEntry)
    with pytest.raises(Conflict) as again:
        experts.do_submit_opinion(session, c, opinion, body="改一下")
    assert again.value.code == "already_submitted" and _count(session, AuditEntry) == entries


def test_a_forged_or_foreign_invitation_looks_missing(session: Session, org: Org) -> None:
    c, other = make_consultation(session, org), make_consultation(session, org)
    invited = experts.do_invite(session, other, org.actor("housing-head"), role="deputy", name="李代表",
                                affiliation="")  # fmt: skip
    token = experts.invitation_token(invited)
    for bad in (token, token[:-3] + "abc", "", None):
        with pytest.raises(NotFound):
            experts.access_invitation(session, c, bad)


def test_hearing_places_fill_then_the_waiting_list_and_confirmations_stop_at_capacity(
    session: Session, org: Org
) -> None:
    c = make_consultation(session, org)
    staff = org.actor("housing-head")
    experts.do_set_hearing(session, c, staff, at=utcnow() + timedelta(days=10), place="市民中心", capacity=2)
    regs = [experts.do_register(session, c, name=f"居民{i}", phone=f"1390000000{i}", position="support",
                                note="") for i in range(3)]  # fmt: skip
    assert [r.state for r in regs] == ["registered", "registered", "waitlisted"]
    with pytest.raises(Conflict) as twice:
        experts.do_register(session, c, name="居民0", phone="139-0000-0000", position="oppose", note="")
    assert twice.value.code == "already_registered" and _count(session, HearingRegistration) == 3
    experts.do_confirm_registration(session, c, staff, registration_id=regs[2].id)
    experts.do_confirm_registration(session, c, staff, registration_id=regs[0].id)
    with pytest.raises(Conflict) as full:
        experts.do_confirm_registration(session, c, staff, registration_id=regs[1].id)
    assert full.value.code == "hearing_full"
    with pytest.raises(Conflict):
        experts.do_set_hearing(
            session, c, staff, at=utcnow() + timedelta(days=9), place="市民中心", capacity=1
        )


def test_registration_closes_at_the_hearing_and_needs_a_phone(
    session: Session, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = make_consultation(session, org)
    with pytest.raises(Conflict) as none_yet:
        experts.do_register(session, c, name="居民", phone="13900000001", position="neutral", note="")
    assert none_yet.value.code == "hearing_not_open"
    at = utcnow() + timedelta(days=3)
    experts.do_set_hearing(session, c, org.actor("housing-head"), at=at, place="社区会议室", capacity=50)
    with pytest.raises(InvalidInput) as phone:
        experts.do_register(session, c, name="居民", phone="不告诉你", position="neutral", note="")
    assert phone.value.field == "phone"
    monkeypatch.setattr(experts, "utcnow", lambda: at)
    with pytest.raises(Conflict):
        experts.do_register(session, c, name="居民", phone="13900000001", position="neutral", note="")
    assert _count(session, HearingRegistration) == 0


def test_nothing_is_invited_after_the_report(session: Session, org: Org) -> None:
    c = make_consultation(session, org)
    with write(session, SYSTEM, bookkeeping="the state a published report leaves"):
        c.state = "answered"
    with pytest.raises(Conflict):
        experts.do_invite(session, c, org.actor("housing-head"), role="expert", name="赵", affiliation="")
    assert _count(session, ExpertOpinion) == 0
