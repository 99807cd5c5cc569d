"""Notifications: written with the event that causes them, sent after commit, private, never lost or doubled."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from minyi.accounts.actor import CITIZEN
from minyi.cases import actions as act
from minyi.cases.models import Case
from minyi.cases.rules import Evaluation
from minyi.cases.tracking import display_code
from minyi.db import utcnow
from minyi.errors import NotPermitted
from minyi.notifications.actions import do_set_staff_contact
from minyi.notifications.digest import do_digest
from minyi.notifications.models import Notification, StaffContact
from minyi.notifications.rules import MAX_ATTEMPTS
from minyi.notifications.schemas import StaffContactIn
from minyi.notifications.sender import send_due
from minyi.uow import write
from tests.support.factories import Org, make_org, submit
from tests.support.mailstub import free_port, sms_gateway, smtp_server, use_settings

EMAIL = "wang@example.com"


@pytest.fixture
def org(session: Session) -> Org:
    return make_org(session)


def _outbox(session: Session, **where: object) -> list[Notification]:
    rows = list(session.scalars(select(Notification).filter_by(**where).order_by(Notification.id)))
    session.rollback()
    return rows


def _set_contact(session: Session, org: Org, username: str, **contact: str) -> None:
    with write(session, org.actor("admin"), bookkeeping="test data"):
        session.add(StaffContact(user_id=org.users[username].id, **StaffContactIn(**contact).model_dump()))


def test_an_administrator_sets_a_staff_contact_on_the_record(session: Session, org: Org) -> None:
    pytest.importorskip("minyi.audit.log")  # administrators' writes go on the global audit log
    body = StaffContactIn(email="head@example.org", notify_by="email")
    with pytest.raises(NotPermitted):
        do_set_staff_contact(session, org.actor("intake"), org.users["housing-head"].id, body)
    do_set_staff_contact(session, org.actor("admin"), org.users["housing-head"].id, body)
    assert session.get(StaffContact, org.users["housing-head"].id).email == "head@example.org"  # type: ignore[union-attr]


def test_without_a_channel_the_notification_is_recorded_as_not_sent(session: Session, org: Org) -> None:
    case = submit(session, contact={"email": EMAIL, "notify_by": "email"})
    (row,) = _outbox(session, case_id=case.id)
    assert (row.template, row.channel, row.status) == ("registered", "email", "unconfigured")
    assert row.params["code"] == display_code(case.tracking_code) and row.recipient.startswith("submitter:")


def test_nobody_is_written_to_who_left_no_contact(session: Session, org: Org) -> None:
    case = submit(session)
    act.do_accept(session, case, org.actor("intake"))
    assert _outbox(session, case_id=case.id) == []


def test_the_outbox_row_rolls_back_with_its_event(session: Session, org: Org) -> None:
    case = submit(session, contact={"email": EMAIL, "notify_by": "email"})
    with pytest.raises(RuntimeError), write(session, org.actor("intake")):
        act.do_accept(session, session.get(Case, case.id), org.actor("intake"))
        raise RuntimeError("the request failed after the step")
    assert [r.template for r in _outbox(session, case_id=case.id)] == ["registered"]


def test_the_submitter_receives_the_tracking_code_then_the_reply_by_email(
    session: Session, engine: Engine, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    with smtp_server() as (inbox, port):
        use_settings(monkeypatch, smtp_url=f"smtp://127.0.0.1:{port}", smtp_from="minyi@example.org")
        case = submit(session, contact={"email": EMAIL, "name": "王先生", "notify_by": "email"})
        assert send_due(engine).sent == 1
        (first,) = inbox.bodies(EMAIL)
        assert display_code(case.tracking_code) in first
        act.do_accept(session, case, org.actor("intake"))
        act.do_assign(session, case, org.actor("intake"), department_id=org.housing.id)
        act.do_sign_for(session, case, org.actor("housing-handler"))
        act.do_reply(
            session, case, org.actor("housing-handler"), text="已督促物业于本周内修复电梯，并安排回访。"
        )
        send_due(engine)
        bodies = inbox.bodies(EMAIL)
        assert len(bodies) == 3  # registered, accepted, replied
        assert "已督促物业于本周内修复电梯" in bodies[-1]
        assert send_due(engine).sent == 0  # nothing is sent twice
        assert len(inbox.messages) == 3


def test_staff_hear_of_the_assignment_without_the_tracking_code(
    session: Session, engine: Engine, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    with smtp_server() as (inbox, port):
        use_settings(monkeypatch, smtp_url=f"smtp://127.0.0.1:{port}")
        _set_contact(session, org, "housing-handler", email="handler@example.org", notify_by="email")
        case = submit(session, contact={"email": EMAIL, "notify_by": "email"})
        act.do_accept(session, case, org.actor("intake"))
        act.do_assign(session, case, org.actor("intake"), department_id=org.housing.id)
        send_due(engine)
        (staff_mail,) = inbox.bodies("handler@example.org")
        assert f"#{case.id}" in staff_mail and case.tracking_code not in staff_mail.replace("-", "")
        heads = _outbox(session, case_id=case.id, template="assigned", channel="workbench")
        assert [r.user_id for r in heads] == [org.users["housing-head"].id]  # no contact: the workbench only
        assert all("code" not in r.params for r in _outbox(session, case_id=case.id) if r.user_id)
        assert not _outbox(session, case_id=case.id, user_id=org.users["transport-handler"].id)


def test_a_stopped_smtp_server_delays_but_loses_nothing(
    session: Session, engine: Engine, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()
    use_settings(monkeypatch, smtp_url=f"smtp://127.0.0.1:{port}")
    case = submit(session, contact={"email": EMAIL, "notify_by": "email"})
    report = send_due(engine)
    assert (report.sent, report.failed) == (0, 1)
    (row,) = _outbox(session, case_id=case.id)
    assert row.status == "pending" and row.attempts == 1 and row.last_error
    assert send_due(engine).failed == 0  # backing off: not tried again at once
    with smtp_server(port) as (inbox, _):
        assert send_due(engine, now=utcnow() + timedelta(minutes=2)).sent == 1
        assert display_code(case.tracking_code) in inbox.bodies(EMAIL)[0]
    (row,) = _outbox(session, case_id=case.id)
    assert row.status == "sent" and row.sent_at is not None


def test_after_the_last_try_a_message_is_a_dead_letter(
    session: Session, engine: Engine, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_settings(monkeypatch, smtp_url=f"smtp://127.0.0.1:{free_port()}")
    case = submit(session, contact={"email": EMAIL, "notify_by": "email"})
    later = utcnow()
    for _ in range(MAX_ATTEMPTS):
        later += timedelta(hours=2)
        send_due(engine, now=later)
    (row,) = _outbox(session, case_id=case.id)
    assert row.status == "dead" and row.attempts == MAX_ATTEMPTS


def test_sms_goes_through_the_gateway_with_the_registered_template(
    session: Session, engine: Engine, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sms_gateway() as (received, url):
        use_settings(monkeypatch, sms_gateway_url=url, sms_templates='{"registered": "SMS_0001"}')
        case = submit(session, contact={"phone": "13912345678", "email": EMAIL, "notify_by": "sms"})
        assert send_due(engine).sent == 1
    (msg,) = received
    assert msg["body"]["to"] == "13912345678" and msg["body"]["template_id"] == "SMS_0001"
    assert msg["body"]["params"]["code"] == display_code(case.tracking_code)
    assert "/notify/unsubscribe?t=" in msg["body"]["params"]["unsubscribe"]
    assert msg["auth"].startswith("Basic ")
    assert [r.channel for r in _outbox(session, case_id=case.id)] == ["sms"]  # the preferred channel only


def test_a_failing_sms_gateway_never_blocks_a_case(
    session: Session, engine: Engine, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sms_gateway(fail=True) as (_, url):
        use_settings(monkeypatch, sms_gateway_url=url)
        case = submit(session, contact={"phone": "13912345678", "notify_by": "sms"})
        act.do_accept(session, case, org.actor("intake"))
        assert send_due(engine).failed == 2
    assert session.get(Case, case.id).status == "accepted"  # type: ignore[union-attr]


def test_a_sealed_report_is_never_announced_by_mail_and_staff_need_clearance(
    session: Session, org: Org
) -> None:
    case = submit(session, contact={"email": EMAIL, "notify_by": "email"}, visibility="confidential")
    act.do_accept(session, case, org.actor("admin"))
    act.do_assign(session, case, org.actor("admin"), department_id=org.housing.id)
    rows = _outbox(session, case_id=case.id)
    assert all(not r.recipient.startswith("submitter:") for r in rows)
    assert all(r.user_id not in (org.users["housing-handler"].id, org.users["housing-head"].id) for r in rows)


def test_the_steps_the_submitter_hears_of(session: Session, org: Org) -> None:
    case = submit(session, contact={"email": EMAIL, "notify_by": "email"})
    act.do_accept(session, case, org.actor("intake"))
    act.do_assign(session, case, org.actor("intake"), department_id=org.housing.id)
    act.do_sign_for(session, case, org.actor("housing-handler"))
    act.do_reply(session, case, org.actor("housing-handler"), text="已督促物业于本周内修复电梯，并安排回访。")
    act.do_evaluate(session, case, CITIZEN, evaluation=Evaluation.unsatisfied, comment="没修好")
    mine = [r.template for r in _outbox(session, case_id=case.id) if r.recipient.startswith("submitter:")]
    assert mine == ["registered", "accepted", "replied", "rehandling"]


def test_a_returned_case_reaches_the_dispatch_desk(session: Session, org: Org) -> None:
    case = submit(session)
    act.do_accept(session, case, org.actor("intake"))
    act.do_assign(session, case, org.actor("intake"), department_id=org.housing.id)
    act.do_return(session, case, org.actor("housing-handler"), reason="不属于本单位职责")
    users = {r.user_id for r in _outbox(session, case_id=case.id, template="returned")}
    assert users == {org.users["intake"].id, org.users["supervisor"].id}


def test_the_daily_digest_is_written_once_a_day(session: Session, org: Org) -> None:
    case = submit(session)
    act.do_accept(session, case, org.actor("intake"))
    act.do_assign(session, case, org.actor("intake"), department_id=org.housing.id)
    now = (case.due_at or utcnow()) - timedelta(hours=1)
    assert do_digest(session, now=now) == 2  # the housing handler and head
    assert do_digest(session, now=now) == 0
    (row, _) = _outbox(session, template="digest")
    assert f"#{case.id}" in row.params["items"] and row.params["count"] == 1
