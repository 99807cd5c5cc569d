"""A contact address typed on the tracking page is used only once its owner confirms it, and the address it replaces
is told: whoever once saw a tracking code can no longer redirect the case's messages (which carry the code and the
reply) silently, nor have them sent to a stranger's address. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.cases.models import Submitter
from minyi.errors import Forbidden, NotFound
from minyi.notifications.contact_change import do_ask_contact, do_confirm_contact
from minyi.notifications.models import Notification
from minyi.notifications.subscriptions import FollowIn
from tests.support.factories import make_org, submit


def _sent(session: Session, template: str) -> list[Notification]:
    rows = list(session.scalars(select(Notification).where(Notification.template == template)))
    session.rollback()
    return rows


def _token(row: Notification) -> str:
    return str(row.params["confirm"]).split("t=", 1)[1]


def test_a_changed_address_waits_for_its_owner_and_the_old_one_is_told(session: Session) -> None:
    make_org(session)
    case = submit(session, contact={"email": "citizen@example.com"})
    code, submitter_id = case.tracking_code, case.submitter_id
    session.rollback()
    do_ask_contact(
        session, code, FollowIn(channel="email", address="thief@example.com"), staff_credentials=False
    )
    who = session.get(Submitter, submitter_id)
    assert who is not None and who.email == "citizen@example.com"  # nothing changed on asking
    session.rollback()
    [asked] = _sent(session, "confirm_contact")
    assert asked.address == "thief@example.com" and code not in repr(asked.params)  # no code travels there
    with pytest.raises(NotFound):  # a link altered or forged looks missing
        do_confirm_contact(session, _token(asked)[:-2] + "xx")
    do_confirm_contact(session, _token(asked))
    who = session.get(Submitter, submitter_id)
    assert who is not None and (who.email, who.notify_by) == ("thief@example.com", "email")
    session.rollback()
    [told] = _sent(session, "contact_changed")
    assert told.address == "citizen@example.com" and told.params["masked"] == "t***@example.com"
    # the citizen gives their address back with their code: the stale link cannot undo that
    do_ask_contact(
        session, code, FollowIn(channel="email", address="citizen@example.com"), staff_credentials=False
    )
    [back] = [r for r in _sent(session, "confirm_contact") if r.address == "citizen@example.com"]
    do_confirm_contact(session, _token(back))
    with pytest.raises(NotFound):
        do_confirm_contact(session, _token(asked))
    who = session.get(Submitter, submitter_id)
    assert who is not None and who.email == "citizen@example.com"


def test_staff_credentials_cannot_ask_in_the_citizens_place(session: Session) -> None:
    make_org(session)
    code = submit(session).tracking_code
    session.rollback()
    with pytest.raises(Forbidden):
        do_ask_contact(session, code, FollowIn(channel="sms", address="13900001111"), staff_credentials=True)
    assert _sent(session, "confirm_contact") == []


def test_moving_the_news_to_another_channel_tells_the_one_it_left(session: Session) -> None:
    make_org(session)
    case = submit(session, contact={"phone": "13800001111", "notify_by": "sms"})
    code = case.tracking_code
    session.rollback()
    do_ask_contact(
        session, code, FollowIn(channel="email", address="thief@example.com"), staff_credentials=False
    )
    do_confirm_contact(session, _token(_sent(session, "confirm_contact")[0]))
    [told] = _sent(session, "contact_changed")
    assert (told.channel, told.address) == ("sms", "13800001111")  # the phone that was told until now
