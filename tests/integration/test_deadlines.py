"""Deadlines: one writer of the clock columns, re-timing on correction, one working-day count, calendar coverage."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.audit.verify import verify_all
from minyi.cases import actions as act
from minyi.cases import oversight
from minyi.cases.exports import iter_outcomes
from minyi.cases.models import Case, CaseEvent
from minyi.deadlines.actions import do_load_schedule, do_set_calendar_day, read_schedule
from minyi.deadlines.clock import calendar, forget_calendar
from minyi.deadlines.rules import URGENT
from minyi.portal import queries as portal_queries
from tests.support.factories import Org, make_org, submit
from tests.support.tamper import arrange

MON = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # Monday 2 March 2026, 10:00 in Beijing


def _org(session: Session) -> Org:
    org = make_org(session)
    forget_calendar()
    return org


def test_correcting_a_case_to_urgent_moves_its_acceptance_deadline(session: Session) -> None:
    org = _org(session)
    case = submit(session, now=MON)
    before = case.due_at
    oversight.do_correct_understanding(session, case, org.actor("intake"), urgent=True, now=MON)
    assert case.policy_name == URGENT.name
    assert case.due_at is not None and before is not None and case.due_at < before
    assert case.due_at == calendar(session).deadline(MON, URGENT.accept_days)


def test_correcting_the_channel_of_a_handled_case_retimes_its_handling_deadline(session: Session) -> None:
    org = _org(session)
    case = submit(session, now=MON)
    act.do_accept(session, case, org.actor("intake"), now=MON)
    act.do_assign(session, case, org.actor("intake"), department_id=org.housing.id, now=MON)
    act.do_sign_for(session, case, org.actor("housing-handler"), now=MON)
    assert calendar(session).workdays_elapsed(MON, case.due_at) == 60  # type: ignore[arg-type]
    oversight.do_correct_understanding(
        session, case, org.actor("intake"), channel="hotline", kind="complaint"
    )
    assert case.channel == "hotline" and case.policy_name == "12345热线一般件"
    assert case.stage == "handling" and case.handling_due_at == case.due_at
    assert calendar(session).workdays_elapsed(MON, case.due_at) == 5  # type: ignore[arg-type]
    last = session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.seq.desc())
    )
    assert next(iter(last)).data["after"]["channel"] == "hotline"


def test_reply_days_agree_across_scoreboard_exports_and_reply_quality_on_an_administrators_holiday(
    session: Session,
) -> None:
    org = _org(session)
    admin = org.actor("admin")
    for day in (date(2026, 3, 3), date(2026, 3, 4)):  # Tuesday and Wednesday: a local holiday
        do_set_calendar_day(session, admin, day, "holiday")
    forget_calendar()
    case = submit(session, now=MON)
    act.do_accept(session, case, org.actor("intake"), now=MON)
    act.do_assign(session, case, org.actor("intake"), department_id=org.housing.id, now=MON)
    thursday, friday = datetime(2026, 3, 5, 2, tzinfo=UTC), datetime(2026, 3, 6, 2, tzinfo=UTC)
    act.do_sign_for(session, case, org.actor("housing-handler"), now=thursday)
    act.do_reply(
        session, case, org.actor("housing-handler"), text="已督促物业于本周内修复电梯，经查属实。", now=friday
    )
    arrange(session)
    portal_queries._CACHE.clear()
    board = {
        r.name: r.avg_reply_days for r in portal_queries.scoreboard(session, calendar(session))
    }  # the rollup
    exported = [o.workdays_to_reply for o in iter_outcomes(session)]
    reply = session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.action == "reply")
    )
    quality = next(iter(reply)).data["quality"]
    # Monday → Friday with Tuesday and Wednesday off: Thursday and Friday are the two working days.
    assert board["住建局"] == 2 and exported == [2] and quality["workdays"] == 2


def test_a_deadline_in_an_uncovered_year_is_provisional_until_the_schedule_is_loaded_and_then_retimed(
    session: Session,
) -> None:
    org = _org(session)
    late_2099 = datetime(2099, 12, 1, 2, tzinfo=UTC)  # the library will not know 2099 or 2100 for a while
    assert not calendar(session).covers(2099)
    case = submit(session, now=late_2099)
    assert case.deadline_provisional is True
    schedule = read_schedule('{"holidays": ["2099-01-01", "2100-01-01"], "workdays": []}')
    assert do_load_schedule(session, org.actor("admin"), schedule) == 2
    forget_calendar()
    assert calendar(session).covers(2099) and calendar(session).covers(2100)
    covered = submit(session, now=late_2099)
    assert covered.deadline_provisional is False
    retimed = session.get(Case, case.id)
    assert retimed is not None and retimed.deadline_provisional is False and retimed.due_at == covered.due_at
    events = session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.action == "retime")
    )
    assert [e.public for e in events] == [False]
    assert list(verify_all(session)) == []


def test_a_case_in_a_covered_year_is_not_provisional(session: Session) -> None:
    _org(session)
    assert submit(session, now=MON).deadline_provisional is False
