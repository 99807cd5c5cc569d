"""Setting a case's current stage clock and ladder from the pure rules."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minyi.cases.models import CalendarDay, Case, DeadlinePolicyRow, EscalationNotice
from minyi.cases.rules import DEFAULT_POLICIES, Clock, DeadlinePolicy, choose_policy, stage_clock
from minyi.db import per_database
from minyi.settings import get_settings
from minyi.workcal import WorkCalendar, get_calendar

LADDER_STAGES = frozenset({"acceptance", "sign_for", "handling", "rehandling"})


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


def next_escalation(clock: Clock, level: int) -> datetime | None:
    """When the next rung above `level` falls due."""
    if level <= 0:
        return clock.remind_at
    if level == 1:
        return clock.due_at + timedelta(seconds=1)
    if level == 2:
        return clock.accountability_at
    return None


def set_stage(
    session: Session, case: Case, stage: str, start: datetime, policy: DeadlinePolicy, extra_days: int = 0
) -> Clock:
    """Start (or re-time) the clock of `stage`; the ladder resumes at the highest rung already issued."""
    clock = stage_clock(stage, start, policy, calendar(session), extra_days)
    case.stage = stage
    case.policy_name = policy.name
    case.due_at, case.remind_at, case.accountability_at = (
        clock.due_at,
        clock.remind_at,
        clock.accountability_at,
    )
    if stage in LADDER_STAGES:
        issued = session.scalar(
            select(func.max(EscalationNotice.level)).where(
                EscalationNotice.case_id == case.id,
                EscalationNotice.stage == stage,
                EscalationNotice.round == case.round,
            )
        ) if case.id is not None and case.event_count else None  # fmt: skip
        case.escalation_level = issued or 0
        case.next_escalation_at = next_escalation(clock, case.escalation_level)
    else:
        case.escalation_level = 0
        case.next_escalation_at = None
    return clock


def stop_clock(case: Case) -> None:
    """A finished case has no deadline and no ladder."""
    case.stage = None
    case.due_at = case.remind_at = case.accountability_at = case.next_escalation_at = None
