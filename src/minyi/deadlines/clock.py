"""Reading the calendar and policies in force, and storing a case's clock columns from `compute_clock`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minyi.cases.models import Case
from minyi.cases.rules import Status
from minyi.db import per_database
from minyi.deadlines.models import CalendarDay, DeadlinePolicyRow, EscalationNotice
from minyi.deadlines.months import MonthPolicy
from minyi.deadlines.rules import (
    DEFAULT_POLICIES,
    LADDER_STAGES,
    STOPPED,
    ClockColumns,
    DeadlinePolicy,
    choose_policy,
    clock_start,
    compute_clock,
)
from minyi.deadlines.workcal import WorkCalendar, get_calendar
from minyi.settings import get_settings


def calendar(session: Session | None = None) -> WorkCalendar:
    """The working-day calendar in force: official, then the override file, then the administrators' days."""
    return _with_admin_days(session) if session is not None else _file_calendar()


def _file_calendar() -> WorkCalendar:
    path = get_settings().calendar_file
    return get_calendar(str(path) if path else None)


@per_database(30.0)
def _with_admin_days(session: Session) -> WorkCalendar:
    base = _file_calendar()
    days = dict(session.execute(select(CalendarDay.day, CalendarDay.workday)).all())
    holidays = {d for d, work in days.items() if not work}
    workdays = {d for d, work in days.items() if work}
    return WorkCalendar.from_overrides(
        (base.extra_holidays - workdays) | holidays, (base.extra_workdays - holidays) | workdays
    )


def forget_calendar() -> None:
    """Drop the cached calendars (after an administrator changes a day)."""
    _with_admin_days.forget()  # type: ignore[attr-defined]


def forget_policies() -> None:
    """Drop the cached policies (after an administrator changes them)."""
    load_policies.forget()  # type: ignore[attr-defined]


@per_database(30.0)
def load_policies(session: Session) -> list[DeadlinePolicy]:
    """The built-in policies followed by the administrators' own (which win ties); cached for half a minute."""
    return _read_policies(session)


def _read_policies(session: Session) -> list[DeadlinePolicy]:
    rows = session.scalars(select(DeadlinePolicyRow).order_by(DeadlinePolicyRow.id)).all()
    own = [
        DeadlinePolicy(
            r.name,
            r.accept_days,
            r.sign_days,
            r.handle_days,
            r.rehandle_days,
            r.evaluation_days,
            r.extension_max_days,
            r.remind_before_days,
            r.accountability_after_days,
            r.kind,
            r.channel,
            r.urgent,
        )  # fmt: skip
        for r in rows
    ]
    names = {p.name for p in own}
    return [p for p in DEFAULT_POLICIES if p.name not in names] + own


def policy_for(session: Session, case: Case) -> DeadlinePolicy:
    """The policy that governs this case's clocks."""
    return choose_policy(load_policies(session), case.kind, case.channel, case.urgent)


def store_clock(case: Case, columns: ClockColumns) -> None:
    """Write the clock columns onto a mapped case (the only place a case's deadline is set)."""
    for name, value in columns.as_values().items():
        setattr(case, name, value)


def _issued_level(session: Session, case: Case, stage: str) -> int:
    if stage not in LADDER_STAGES or case.id is None or not case.event_count:
        return 0
    issued = session.scalar(
        select(func.max(EscalationNotice.level)).where(
            EscalationNotice.case_id == case.id,
            EscalationNotice.stage == stage,
            EscalationNotice.round == case.round,
        )
    )
    return issued or 0


def set_stage(
    session: Session, case: Case, stage: str, start: datetime, policy: DeadlinePolicy, extra_days: int = 0
) -> ClockColumns:
    """Start (or re-time) the clock of `stage`; the ladder resumes at the highest rung already issued."""
    columns = compute_clock(
        stage, start, policy, calendar(session), extra_days, _issued_level(session, case, stage)
    )
    store_clock(case, columns)
    return columns


def stop_clock(case: Case) -> None:
    """A finished case has no deadline and no ladder."""
    store_clock(case, STOPPED)


def retime_handling_due(session: Session, case: Case, policy: DeadlinePolicy) -> None:
    """Move only the handling deadline (while the sign-for clock runs)."""
    handling = compute_clock("handling", clock_start(case.registered_at, case.accepted_at), policy,
                             calendar(session), case.extension_days)  # fmt: skip
    case.handling_due_at = handling.due_at


def retime_provisional(session: Session) -> list[tuple[Case, datetime | None]]:
    """Re-time every open case whose deadline is provisional (after a year's schedule was loaded), on the calendar
    as it now stands in this transaction; returns each case with its previous deadline."""
    forget_calendar()  # read the administrators' days this transaction just wrote
    changed = []
    for case in session.scalars(
        select(Case).where(Case.deadline_provisional.is_(True), Case.stage.is_not(None))
    ):
        before = case.due_at
        retime_open_stage(session, case)
        changed.append((case, before))
    return changed


def retime_open_stage(session: Session, case: Case) -> None:
    """Re-time the open stage after the case's kind, channel or urgency changed (its policy may have changed)."""
    if case.stage is None:
        return
    policy = policy_for(session, case)
    if case.stage == "acceptance":
        set_stage(session, case, "acceptance", case.registered_at, policy)
    elif case.stage == "handling":
        set_stage(session, case, "handling", clock_start(case.registered_at, case.accepted_at), policy,
                  case.extension_days)  # fmt: skip
    elif case.stage == "rehandling":
        set_stage(
            session, case, "rehandling", case.evaluated_at or case.updated_at, policy, case.extension_days
        )
    elif case.stage == "sign_for":
        set_stage(session, case, "sign_for", case.assigned_at or case.updated_at, policy)
        retime_handling_due(session, case, policy)
    elif case.stage == "evaluation" and case.status == Status.replied:
        set_stage(session, case, "evaluation", case.replied_at or case.updated_at, policy)


def month_policy() -> MonthPolicy:
    """The calendar-month policy in force for suggestions and proposals (from the settings)."""
    s = get_settings()
    return MonthPolicy(answer_months=s.suggestion_answer_months, max_answer_months=max(s.suggestion_max_months,
                       s.suggestion_answer_months), second_answer_months=s.suggestion_second_answer_months,
                       dispute_days=s.suggestion_dispute_days)  # fmt: skip
