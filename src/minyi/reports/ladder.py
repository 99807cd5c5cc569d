"""The ladder of the sealed channel: deadlines to take a report up and to conclude it, and the reminders and
supervision notices when they near or pass, addressed to the discipline inspectors only.

The notices never reach the reported department: they live in the reports' own table (not the cases'
escalation notices, which departments see), they name the report by id only on the audit chain, and only
`access.may_see_report` lets anyone read them. Defaults (settings, working days on the calendar in force):
15 to take a report up, the 15 working days《纪检监察机关处理检举控告工作规则》gives to tell a named reporter how
the report was taken up; 60 to conclude, a local choice (the rules set no overall limit; about the 60 + 30
calendar days of《信访工作条例》with its extension: docs/architecture.md); reminders 3 working days before each
deadline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from minyi.accounts.actor import SYSTEM
from minyi.db import session_factory, utcnow
from minyi.deadlines.clock import calendar
from minyi.reports.models import MisconductReport, ReportNotice
from minyi.reports.rules import ACKNOWLEDGE, CONCLUDE, NOTICE_ZH, STAGE_ZH, ReportClock, notices_due
from minyi.settings import get_settings
from minyi.uow import end_read, write


def report_clocks(session: Session, created_at: datetime) -> list[ReportClock]:
    """The report's two deadlines and their reminders, counted in working days from its arrival."""
    cal, s = calendar(session), get_settings()
    out = []
    for stage, days in ((ACKNOWLEDGE, s.report_acknowledge_workdays), (CONCLUDE, s.report_conclude_workdays)):
        due = cal.deadline(created_at, days)
        remind = (
            cal.deadline(created_at, days - s.report_remind_before_workdays)
            if days > s.report_remind_before_workdays
            else due
        )
        out.append(ReportClock(stage, min(remind, due), due))
    return out


@dataclass
class ReportSweep:
    """What one sweep of the reports did."""

    examined: int = 0
    issued: dict[str, int] = field(default_factory=lambda: {"reminder": 0, "supervision": 0})


def issue_notices(session: Session, report_id: int, now: datetime) -> list[tuple[str, int]]:
    """Issue the report's due notices in one unit of work (each once: the unique key guards a parallel sweep)."""
    report = session.get(MisconductReport, report_id)
    if report is None:
        return []
    clocks = {c.stage: c for c in report_clocks(session, report.created_at)}
    issued = {
        (n.stage, n.level)
        for n in session.scalars(select(ReportNotice).where(ReportNotice.report_id == report_id))
    }
    due = notices_due(now, report.status, list(clocks.values()), issued)
    end_read(session)
    if not due:
        return []
    try:
        _issue(session, report_id, due, clocks, now)
    except IntegrityError:  # a parallel sweep issued them first
        return []
    return due


def _issue(
    session: Session,
    report_id: int,
    due: list[tuple[str, int]],
    clocks: dict[str, ReportClock],
    now: datetime,
) -> None:
    with write(session, SYSTEM) as tx:
        for stage, level in due:
            session.add(
                ReportNotice(
                    report_id=report_id, stage=stage, level=level, due_at=clocks[stage].due_at, issued_at=now
                )
            )
            tx.record(f"report.{'reminder' if level == 1 else 'supervision'}", "misconduct_report", report_id,
                      {"stage": stage, "rung": NOTICE_ZH[level], "due_at": clocks[stage].due_at.isoformat()})  # fmt: skip


def sweep_reports(engine: Engine | None = None, now: datetime | None = None) -> ReportSweep:
    """Climb the reports' ladder once; idempotent (a notice is issued once per report, stage and rung)."""
    now = now or utcnow()
    out = ReportSweep()
    with session_factory(engine)() as session:
        ids = session.scalars(select(MisconductReport.id).where(MisconductReport.status != "concluded")).all()
        end_read(session)
        for report_id in ids:
            out.examined += 1
            for _stage, level in issue_notices(session, report_id, now):
                out.issued["reminder" if level == 1 else "supervision"] += 1
    return out


def report_deadlines(session: Session, report: MisconductReport) -> list[dict[str, object]]:
    """For the inspectors' pages: each deadline, whether it still runs, and the notices issued on it."""
    from minyi.reports.rules import stage_running

    notices = session.scalars(select(ReportNotice).where(ReportNotice.report_id == report.id)).all()
    return [
        {"stage": STAGE_ZH[c.stage], "due_at": c.due_at, "running": stage_running(c.stage, report.status),
         "notices": [NOTICE_ZH[n.level] for n in notices if n.stage == c.stage]}
        for c in report_clocks(session, report.created_at)
    ]  # fmt: skip
