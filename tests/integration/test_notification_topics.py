"""Notifications beyond cases: suggestions and proposals, consultations and alerts, and the subscriptions (double
opt-in) through which proposers and the public ask to hear of them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.accounts.actor import SYSTEM
from minyi.cases.models import AlertRow
from minyi.consultation import actions as cact
from minyi.consultation import participation as part
from minyi.consultation.schemas import GroupIn, GroupsIn
from minyi.db import utcnow
from minyi.errors import InvalidInput, NotFound
from minyi.notifications.digest import do_digest
from minyi.notifications.models import Notification, Subscription
from minyi.notifications.queries import view_of
from minyi.notifications.subscriptions import MAX_UNCONFIRMED, do_confirm, do_follow, follow_in
from minyi.suggestions.models import Suggestion
from minyi.uow import write
from minyi.web.signing import follow_token, sign
from tests.integration.test_suggestions import ANSWER, _unit_head, contact, register, step
from tests.support.consultations import make_consultation
from tests.support.factories import Org, make_org

EMAIL = "li@example.com"


@pytest.fixture
def org(session: Session) -> Org:
    return make_org(session)


def _rows(session: Session, **where: object) -> list[Notification]:
    rows = list(session.scalars(select(Notification).filter_by(**where).order_by(Notification.id)))
    session.rollback()
    return rows


def _subscribe(session: Session, topic: str, address: str = EMAIL) -> None:
    """Subscribe and confirm by the link the confirmation message carries, as its owner would."""
    do_follow(session, follow_token(topic), follow_in("email", address, "zh"))
    sub = session.scalar(
        select(Subscription).where(Subscription.topic == topic, Subscription.address == address)
    )
    (confirm,) = _rows(session, recipient=f"sub:{sub.id}", template="confirm_subscription")  # type: ignore[union-attr]
    do_confirm(session, confirm.params["confirm"].split("t=", 1)[1])


def test_a_subscription_counts_only_once_confirmed_and_the_form_cannot_flood_an_address(
    session: Session, org: Org
) -> None:
    token = follow_token("consultations")
    for _ in range(3):
        do_follow(session, token, follow_in("email", EMAIL, "zh"))
    (confirm,) = _rows(session, template="confirm_subscription")
    assert confirm.address == EMAIL and "••••••" in view_of(confirm).body  # staff never see the link
    assert view_of(confirm).to_citizen and view_of(confirm).address == "l***@example.com"
    make_consultation(session, org)
    assert _rows(session, template="consultation_opened") == []  # not confirmed: nothing
    do_confirm(session, confirm.params["confirm"].split("t=", 1)[1])
    c = make_consultation(session, org, title="背街小巷改造方案（征求意见稿）")
    (opened,) = _rows(session, template="consultation_opened")
    assert opened.address == EMAIL and opened.params["url"].endswith(f"/consultations/{c.id}")


def test_an_address_nobody_confirms_gets_at_most_three_confirmations(session: Session, org: Org) -> None:
    for n in range(1, 6):
        do_follow(session, follow_token(f"consultation:{n}"), follow_in("email", "victim@example.com", "zh"))
    assert len(_rows(session, template="confirm_subscription")) == MAX_UNCONFIRMED == 3


def test_forged_topics_and_bad_addresses_are_refused(session: Session, org: Org) -> None:
    for bad in ("", "x.y", sign("follow", "proposer:abc", 60), sign("follow", "everything", 60)):
        with pytest.raises(NotFound):
            do_follow(session, bad, follow_in("email", EMAIL, "zh"))
    for channel, address in (("email", "not-an-address"), ("sms", "call me"), ("fax", "123456")):
        with pytest.raises(InvalidInput):
            follow_in(channel, address, "zh")
    with pytest.raises(NotFound):
        do_confirm(session, sign("follow-confirm", 999, 60))
    assert _rows(session) == []


def test_participants_who_asked_hear_that_the_feedback_report_is_out(session: Session, org: Org) -> None:
    c = make_consultation(session, org)
    _subscribe(session, f"consultation:{c.id}")
    staff = org.actor("housing-head")
    p = part.do_join(session, c)
    a = part.do_comment(session, c, p, clause_id=None, body="补贴应提高到三十万元")
    cact.do_close(session, c, staff)
    (group,) = cact.do_group_comments(
        session, c, staff, body=GroupsIn(groups=[GroupIn(title="补贴", comment_ids=[a.id])])
    )
    cact.do_answer_group(session, c, staff, group_id=group.id, answer="adopted", reason="已提高补贴")
    cact.do_publish_report(session, c, staff)
    (row,) = _rows(session, template="consultation_answered")
    assert row.address == EMAIL and row.params["url"].endswith(f"/consultations/{c.id}/report")


def test_units_and_the_proposer_hear_of_the_assignment_and_the_proposer_of_the_answer(
    session: Session, org: Org
) -> None:
    head = _unit_head(session, org)
    item, _code = register(session, org)
    _subscribe(session, f"proposer:{item.proposer_id}")
    office = org.actor("intake")
    step(session, office, item, "accept")
    step(session, office, item, "assign", lead_unit_id=org.transport.id, co_unit_ids=[org.housing.id])
    staff = {r.user_id: r.params["role_zh"] for r in _rows(session, template="suggestion_assigned")}
    assert (
        staff[org.users["transport-handler"].id] == "主办"
        and staff[org.users["housing-handler"].id] == "协办"
    )
    assert org.users["intake"].id not in staff
    (mine,) = _rows(session, template="suggestion_assigned_proposer")
    assert mine.address == EMAIL and mine.params["unit"] == org.transport.name
    contact(session, head, item)
    step(session, head, item, "answer", category="A", text=ANSWER)
    (answered,) = _rows(session, template="suggestion_answered")
    assert answered.address == EMAIL and "code" not in answered.params


def test_the_lead_unit_hears_in_the_digest_that_an_answer_falls_due(session: Session, org: Org) -> None:
    item, _ = register(session, org)
    step(session, org.actor("intake"), item, "accept")
    step(session, org.actor("intake"), item, "assign", lead_unit_id=org.transport.id, co_unit_ids=[])
    due = session.get(Suggestion, item.id).due_at  # type: ignore[union-attr]
    session.rollback()
    assert due is not None
    do_digest(session, now=due - timedelta(days=1))
    rows = _rows(session, template="suggestion_due")
    assert {r.user_id for r in rows} == {org.users["transport-handler"].id}
    assert f"#{item.id} {due.date().isoformat()[:4]}" in rows[0].params["items"]
    assert do_digest(session, now=due - timedelta(days=1)) == 0


def test_a_new_alert_reaches_the_supervisors_only(session: Session, org: Org) -> None:
    today = date.today()
    with write(session, SYSTEM) as tx:
        session.add(AlertRow(key="surge:test", kind="topic", series="供水", window_start=today, window_end=today,
                             count=12, expected=2.0, ratio=6.0, p_value=0.001, weighted=12.0, examples=[],
                             detected_at=utcnow()))  # fmt: skip
        session.flush()
        tx.record("alert.detect", "alert", None, {"new": ["surge:test"], "surges": 1})
    users = {r.user_id for r in _rows(session, template="alert")}
    assert users == {org.users["supervisor"].id, org.users["admin"].id}
