"""The citizen's say: nothing without their opt-in, an unsubscribe link in every message; and messages left
unsent for want of a channel go out, once, when it is configured."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from minyi.cases import actions as act
from minyi.cases.models import Submitter
from minyi.cases.tracking import display_code
from minyi.db import utcnow
from minyi.errors import Forbidden, InvalidInput, NotFound
from minyi.notifications.choices import do_choose_notify, do_unsubscribe, notify_choice, unsubscribe_url
from minyi.notifications.models import Notification, StaffContact
from minyi.notifications.sender import requeue_unconfigured, send_due
from minyi.uow import write
from tests.support.factories import Org, make_org, submit
from tests.support.mailstub import smtp_server, use_settings

EMAIL = "wang@example.com"


@pytest.fixture
def org(session: Session) -> Org:  # the same small city as test_notifications
    return make_org(session)


def _mine(session: Session, case_id: int) -> list[Notification]:
    rows = list(session.scalars(select(Notification).where(
        Notification.case_id == case_id, Notification.recipient.like("submitter:%")).order_by(Notification.id)))  # fmt: skip
    session.rollback()
    return rows


def test_a_citizen_who_left_an_address_but_did_not_opt_in_hears_nothing(session: Session, org: Org) -> None:
    case = submit(session, contact={"email": EMAIL, "phone": "13912345678"})
    act.do_accept(session, case, org.actor("intake"))
    assert _mine(session, case.id) == []


def test_opting_in_on_the_tracking_page_starts_the_messages_and_opting_out_stops_them(
    session: Session, org: Org
) -> None:
    case = submit(session, contact={"email": EMAIL, "phone": "13912345678"})
    code = case.tracking_code
    choice = notify_choice(session, code)
    assert choice.current == "" and [c for c, _ in choice.options] == ["email", "sms"]
    assert EMAIL not in str(choice.options)  # masked even for its owner's page
    with pytest.raises(Forbidden):
        do_choose_notify(session, code, "email", staff_credentials=True)
    with pytest.raises(InvalidInput):
        do_choose_notify(session, code, "wechat", staff_credentials=False)  # no WeChat id was given
    do_choose_notify(session, code, "sms", staff_credentials=False)
    act.do_accept(session, case, org.actor("intake"))
    assert [(r.template, r.channel) for r in _mine(session, case.id)] == [("accepted", "sms")]
    do_choose_notify(session, code, "", staff_credentials=False)
    act.do_assign(session, case, org.actor("intake"), department_id=org.housing.id)
    act.do_sign_for(session, case, org.actor("housing-handler"))
    act.do_reply(session, case, org.actor("housing-handler"), text="已督促物业于本周内修复电梯，并安排回访。")
    assert [r.template for r in _mine(session, case.id)] == ["accepted"]
    assert [r.status for r in _mine(session, case.id)] == ["cancelled"]  # what still waited is not sent


def test_every_message_carries_a_link_that_unsubscribes_its_recipient(
    session: Session, engine: Engine, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    with smtp_server() as (inbox, port):
        use_settings(monkeypatch, smtp_url=f"smtp://127.0.0.1:{port}")
        case = submit(session, contact={"email": EMAIL, "notify_by": "email"})
        send_due(engine)
        (body,) = inbox.bodies(EMAIL)
    match = re.search(r"/notify/unsubscribe\?t=([A-Za-z0-9_.-]+)", body)
    assert match is not None and "退订" in body
    assert display_code(case.tracking_code) not in match.group(0)
    assert do_unsubscribe(session, match.group(1)) == "submitter"
    act.do_accept(session, case, org.actor("intake"))
    assert [r.template for r in _mine(session, case.id)] == ["registered"]
    assert session.get(Submitter, case.submitter_id).notify_by is None  # type: ignore[union-attr]
    session.rollback()
    do_unsubscribe(session, match.group(1))  # twice changes nothing more


def test_a_forged_or_tampered_unsubscribe_link_is_refused(session: Session, org: Org) -> None:
    token = unsubscribe_url("submitter:1").split("t=", 1)[1]
    for bad in ("", "nonsense", token[:-2] + "xx", token.replace(".", "x.", 1)):
        with pytest.raises(NotFound):
            do_unsubscribe(session, bad)


def test_a_staff_member_who_unsubscribes_keeps_only_the_workbench(session: Session, org: Org) -> None:
    handler = org.users["housing-handler"].id
    with write(session, org.actor("admin"), bookkeeping="test data"):
        session.add(StaffContact(user_id=handler, email="h@example.org", notify_by="email", language="zh"))
    do_unsubscribe(session, unsubscribe_url(f"user:{handler}").split("t=", 1)[1])
    case = submit(session)
    act.do_accept(session, case, org.actor("intake"))
    act.do_assign(session, case, org.actor("intake"), department_id=org.housing.id)
    rows = list(session.scalars(select(Notification).where(Notification.user_id == handler)))
    assert [r.channel for r in rows] == ["workbench"]


def test_messages_left_unconfigured_go_out_once_when_the_channel_is_configured(
    session: Session, engine: Engine, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = submit(session, contact={"email": EMAIL, "notify_by": "email"})
    old = submit(session, contact={"email": "old@example.com", "notify_by": "email"})
    with write(session, org.actor("admin"), bookkeeping="test data: a message from long ago"):
        session.execute(update(Notification).where(Notification.case_id == old.id)
                        .values(created_at=utcnow() - timedelta(days=40)))  # fmt: skip
    assert [r.status for r in _mine(session, case.id)] == ["unconfigured"]
    assert requeue_unconfigured(session, frozenset()) == 0
    with smtp_server() as (inbox, port):
        use_settings(monkeypatch, smtp_url=f"smtp://127.0.0.1:{port}")
        assert send_due(engine).sent == 1
        assert send_due(engine).sent == 0
        assert requeue_unconfigured(session, frozenset({"email"})) == 0
    assert len(inbox.bodies(EMAIL)) == 1 and display_code(case.tracking_code) in inbox.bodies(EMAIL)[0]
    assert [r.status for r in _mine(session, old.id)] == ["unconfigured"]  # too old to be news
    assert [r.status for r in _mine(session, case.id)] == ["sent"]
