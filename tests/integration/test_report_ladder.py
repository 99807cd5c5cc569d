"""The reports' ladder on SQLite and PostgreSQL: reminders and supervision notices once, to inspectors only."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from minyi.accounts.actions import actor_of, do_create_user
from minyi.accounts.actor import SYSTEM
from minyi.audit.models import AuditEntry
from minyi.db import utcnow
from minyi.deadlines.models import EscalationNotice
from minyi.notifications.models import Notification
from minyi.reports import actions as act
from minyi.reports.ladder import report_clocks, sweep_reports
from minyi.reports.models import MisconductReport, ReportNotice
from minyi.reports.schemas import ReportIn
from tests.support.factories import PASSWORD, make_org


def _report(session: Session, department_id: int) -> int:
    body = ReportIn(
        department_id=department_id, what="科长索要好处费五千元", passphrase="reporter passphrase"
    )
    report, _receipt = act.do_submit_report(session, body)
    return report.id


def test_a_late_report_gets_each_rung_once_on_the_record_and_nothing_reaches_the_department(
    engine: Engine, session: Session
) -> None:
    org = make_org(session)
    rid = _report(session, org.housing.id)
    created = session.get(MisconductReport, rid).created_at  # type: ignore[union-attr]
    ack, conclude = report_clocks(session, created)
    assert created < ack.remind_at < ack.due_at < conclude.remind_at < conclude.due_at
    session.rollback()

    first = sweep_reports(engine, now=ack.remind_at)
    assert first.issued == {"reminder": 1, "supervision": 0}
    late = sweep_reports(engine, now=conclude.due_at + timedelta(days=1))
    assert late.issued == {"reminder": 1, "supervision": 2}
    assert sweep_reports(engine, now=conclude.due_at + timedelta(days=2)).issued == {
        "reminder": 0,
        "supervision": 0,
    }
    session.rollback()
    notices = session.execute(select(ReportNotice.stage, ReportNotice.level).order_by(ReportNotice.id)).all()
    assert [tuple(n) for n in notices] == [
        ("acknowledge", 1),
        ("acknowledge", 2),
        ("conclude", 1),
        ("conclude", 2),
    ]
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.action.like("report.%")).order_by(AuditEntry.seq)
    ).all()
    ladder = [(e.action, e.object_id, e.data.get("stage")) for e in entries if e.action != "report.submitted"]
    assert ladder == [("report.reminder", str(rid), "acknowledge"), ("report.supervision", str(rid), "acknowledge"),
                      ("report.reminder", str(rid), "conclude"), ("report.supervision", str(rid), "conclude")]  # fmt: skip
    assert all("department" not in str(e.data) for e in entries)
    assert session.scalar(select(func.count()).select_from(EscalationNotice)) == 0
    assert session.scalar(select(func.count()).select_from(Notification)) == 0


def test_taking_a_report_up_stops_its_first_clock_and_concluding_stops_both(
    engine: Engine, session: Session
) -> None:
    org = make_org(session)
    inspector = actor_of(_inspector(session))
    taken, concluded = _report(session, org.housing.id), _report(session, org.transport.id)
    act.on_report(
        session,
        inspector,
        taken,
        lambda r: act.do_set_report_status(session, inspector, r, "verifying", None),
    )
    act.on_report(session, inspector, concluded,
                  lambda r: act.do_set_report_status(session, inspector, r, "concluded", "查实，已处理"))  # fmt: skip
    session.rollback()
    out = sweep_reports(engine, now=utcnow() + timedelta(days=400))
    assert out.examined == 1 and out.issued == {"reminder": 1, "supervision": 1}
    session.rollback()
    stages = session.execute(select(ReportNotice.report_id, ReportNotice.stage)).all()
    assert {tuple(s) for s in stages} == {(taken, "conclude")}


def _inspector(session: Session):  # type: ignore[no-untyped-def]
    return do_create_user(session, SYSTEM, username="insp", password=PASSWORD, role="inspector")
