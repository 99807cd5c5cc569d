"""Notifications of supervision on SQLite and PostgreSQL: a rectification item's unit hears when it is assigned,
near and past its deadline (the sweep on a frozen clock) and rejected; inspectors hear that a sealed report or a
reporter's reply awaits them, and the message carries nothing of the report, its receipt or the reporter."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.db import utcnow
from minyi.inspection.commands import COMMANDS, execute
from minyi.inspection.ladder import sweep_rectification
from minyi.inspection.models import RectificationItem
from minyi.inspection.schemas import FindingsIn
from minyi.notifications.content import render
from minyi.notifications.models import Notification, StaffContact
from minyi.notifications.schemas import StaffContactIn
from minyi.reports import actions as reports
from minyi.reports.actions import REPORTER
from minyi.reports.models import MisconductReport
from minyi.reports.schemas import IdentityIn, ReportIn
from minyi.uow import write
from tests.support.factories import Org, make_org
from tests.support.inspections import item, make_inspectors, open_round, report_then_decide, today

WHAT, NAME, PHONE = "科长索要好处费五千元", "钱某", "13800001111"


def _rows(session: Session, template: str) -> list[tuple[str, str]]:
    rows = session.scalars(
        select(Notification).where(Notification.template == template).order_by(Notification.id)
    )
    out = [(r.recipient, r.channel) for r in rows]
    session.rollback()
    return out


def _email(session: Session, org: Org, user_id: int, address: str) -> None:
    with write(session, org.actor("admin"), bookkeeping="test data"):
        session.add(
            StaffContact(user_id=user_id, **StaffContactIn(email=address, notify_by="email").model_dump())
        )


def test_a_units_staff_hear_of_its_rectification_items_and_no_one_else(session: Session) -> None:
    org = make_org(session)
    ins = make_inspectors(session, org)
    lead, head = ins["inspector"], org.actor("housing-head")
    _email(session, org, org.users["housing-head"].id, "head@example.org")
    rnd = open_round(session, org, lead, [])
    due = rnd.ends_on + timedelta(days=30)
    findings = FindingsIn(
        findings="审批权力集中", items=[item(org, due), item(org, due, n=2, unit_id=org.transport.id)]
    )
    execute(session, lead, rnd.id, COMMANDS["give_findings"], findings)
    housing = {f"user:{org.users[u].id}" for u in ("housing-head", "housing-handler")}
    transport = {f"user:{org.users['transport-handler'].id}"}
    head_email = (f"user:{org.users['housing-head'].id}", "email")
    assigned = _rows(session, "rectification_assigned")
    assert {r for r, _ in assigned} == housing | transport and head_email in assigned
    first = session.scalars(select(RectificationItem.id).order_by(RectificationItem.number)).first()
    assert first is not None
    for n in range(2):  # each rejection is heard once
        report_then_decide(session, head, lead, rnd.id, first, accept=False)
        assert {r for r, _ in _rows(session, "rectification_rejected")} == housing
        assert len(_rows(session, "rectification_rejected")) == len(housing) * (n + 1)
    near = utcnow() + timedelta(days=(due - today(session)).days - 1)  # a frozen clock: the reminder rung
    sweep_rectification(session, near)
    assert {r for r, _ in _rows(session, "rectification_due")} == housing | transport
    sweep_rectification(session, near + timedelta(days=3))
    sweep_rectification(session, near + timedelta(days=4))  # the overdue rung, once
    assert len(_rows(session, "rectification_overdue")) == len(housing | transport)
    row = session.scalars(select(Notification).where(Notification.template == "rectification_due")).first()
    assert row is not None
    subject, text = render(row.template, row.params, "zh")
    assert subject.startswith("整改即将到期：第") and due.isoformat() in text


def test_inspectors_hear_only_that_a_report_or_a_reply_awaits_them(session: Session) -> None:
    org = make_org(session)
    ins = make_inspectors(session, org)
    for name in ins:
        _email(session, org, ins[name].user_id or 0, f"{name}@example.org")
    reports.do_make_office_key(session, ins["inspector"], "the office passphrase")
    body = ReportIn(department_id=org.housing.id, what=WHAT, passphrase="reporter passphrase",
                    identity=IdentityIn(name=NAME, phone=PHONE))  # fmt: skip
    report, receipt = reports.do_submit_report(session, body)
    inspectors = {f"user:{ins[n].user_id}" for n in ("inspector", "inspector2")}
    assert {r for r, _ in _rows(session, "report_new")} == inspectors  # never the conflicted one of housing
    stored = session.get(MisconductReport, report.id)
    assert stored is not None
    reports.do_add_reporter_message(session, REPORTER, stored, "补充：时间是上周三")
    reports.do_add_reporter_message(session, REPORTER, stored, "还有一位证人")
    assert len(_rows(session, "report_reply")) == 2 * len(inspectors)
    for row in session.scalars(
        select(Notification).where(Notification.template.in_(["report_new", "report_reply"]))
    ):
        words = str(row.params) + "".join(
            render(row.template, row.params, lang)[i] for lang in ("zh", "en") for i in (0, 1)
        )
        for secret in (WHAT, NAME, PHONE, receipt, "证人", org.housing.name):
            assert secret not in words, (secret, words)
        assert row.params == {"url": row.params["url"]} and row.params["url"].endswith("/staff/reports")
        assert re.fullmatch(
            r"report:[0-9a-f]{40}", row.event_key
        )  # a keyed hash: not which report it is about
