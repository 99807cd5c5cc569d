"""An invited expert or deputy hears of the invitation through the notifications slice: the message carries the
link to their form; the address is kept only on the message; staff see the message without the link."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from minyi.audit.models import AuditEntry
from minyi.consultation import experts
from minyi.consultation.schemas import InviteIn
from minyi.notifications.choices import do_unsubscribe
from minyi.notifications.queries import view_of
from minyi.notifications.sender import send_due
from tests.integration.test_notifications import _outbox
from tests.support.consultations import make_consultation
from tests.support.factories import Org, make_org
from tests.support.mailstub import sms_gateway, smtp_server, use_settings

EMAIL = "wang.prof@example.edu"
LINK = re.compile(r"/consultations/(\d+)/expert-opinion\?invitation=(\S+)")


@pytest.fixture
def org(session: Session) -> Org:
    return make_org(session)


def test_the_invited_expert_gets_the_link_by_email_and_it_opens_their_form(
    session: Session, engine: Engine, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    with smtp_server() as (inbox, port):
        use_settings(monkeypatch, smtp_url=f"smtp://127.0.0.1:{port}", smtp_from="minyi@example.org")
        c = make_consultation(session, org)
        invited = experts.do_invite(session, c, org.actor("housing-head"), role="expert", name="王教授",
                                    affiliation="某大学建筑学院", email=EMAIL)  # fmt: skip
        assert send_due(engine).sent == 1
        (body,) = inbox.bodies(EMAIL)
    assert "王教授" in body and c.title in body and "专家" in body
    found = LINK.search(body)
    assert found and int(found.group(1)) == c.id
    assert experts.access_invitation(session, c, unquote(found.group(2))).id == invited.id
    (row,) = _outbox(session, template="consultation_invited")
    assert row.recipient == f"invitee:{invited.id}" and row.case_id is None
    assert (
        found.group(2) not in view_of(row).body and "••••••" in view_of(row).body
    )  # staff never see the link
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "consultation_invite"))
    assert entry is not None and EMAIL not in str(entry.data) and entry.data["sent"] is True
    unsubscribe = re.search(r"/notify/unsubscribe\?t=(\S+)", body)
    assert (
        unsubscribe and do_unsubscribe(session, unsubscribe.group(1)) == "invitee"
    )  # the footer's link works


def test_a_deputy_invited_by_phone_gets_the_link_by_sms(
    session: Session, engine: Engine, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sms_gateway() as (received, url):
        use_settings(monkeypatch, sms_gateway_url=url, sms_templates='{"consultation_invited": "SMS_0009"}')
        c = make_consultation(session, org)
        invited = experts.do_invite(session, c, org.actor("housing-head"), role="deputy", name="李代表",
                                    affiliation="", phone="13912345678")  # fmt: skip
        assert send_due(engine).sent == 1
    (msg,) = received
    assert msg["body"]["to"] == "13912345678" and msg["body"]["template_id"] == "SMS_0009"
    token = unquote(msg["body"]["params"]["invitation"].split("invitation=", 1)[1])
    assert experts.access_invitation(session, c, token).id == invited.id


def test_without_an_address_nothing_is_sent_and_a_bad_address_is_refused_before_anything_is_written(
    session: Session, org: Org
) -> None:
    c = make_consultation(session, org)
    experts.do_invite(session, c, org.actor("housing-head"), role="expert", name="赵", affiliation="")
    assert _outbox(session, template="consultation_invited") == []
    for bad in ({"email": "not-an-address"}, {"phone": "call me"}, {"phone": "1" * 41}):
        with pytest.raises(ValueError):
            InviteIn.model_validate({"role": "expert", "name": "钱", **bad})
