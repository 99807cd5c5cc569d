"""The scoreboard's rollup, kept by the unit of work, agrees with a full recomputation from the record after any
sequence of actions (replies, ratings, returns, reassignments, the sweep's rungs), on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import astuple
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from minyi.accounts.actions import actor_of
from minyi.accounts.actor import SYSTEM
from minyi.accounts.models import User
from minyi.cases import actions as act
from minyi.cases.models import Case
from minyi.cases.rules import Evaluation
from minyi.db import session_factory
from minyi.deadlines.clock import calendar
from minyi.deadlines.sweep import sweep
from minyi.departments.models import Department
from minyi.errors import MinyiError
from minyi.portal import queries
from minyi.portal.actions import do_rebuild_scoreboard
from minyi.portal.models import ScoreboardMonth
from minyi.uow import end_read
from tests.support.factories import make_org, submit

OPS = ["submit", "accept", "assign", "return", "reply", "satisfied", "unsatisfied", "partly", "sweep"]


def _figures(rows: list[queries.ScoreRow]) -> dict[str, tuple[Any, ...]]:
    return {r.name: (*astuple(queries.Counts(r.received, r.replied, r.on_time, r.evaluated, r.satisfied,
                                              r.rehandled)), r.returned, r.returns_sent_back, r.escalated,
                     r.avg_reply_days, r.group_demands, r.households) for r in rows}  # fmt: skip


def _from_record(s: Session) -> dict[str, tuple[Any, ...]]:
    board = queries.scoreboard(s, calendar(s))  # the active departments, named as the board names them
    rows = {r.department_id: queries.ScoreRow(department_id=r.department_id, name=r.name) for r in board}
    queries.from_record(s, calendar(s), rows, None)
    return _figures(list(rows.values()))


def _months(s: Session) -> set[tuple[Any, ...]]:
    """The month rows that count something: a case moved to another department leaves its old month at zero in
    the kept rollup (no figure changes), where a rebuild writes no row at all."""
    rows = {
        tuple(getattr(m, c.key) for c in ScoreboardMonth.__table__.columns)
        for m in s.scalars(select(ScoreboardMonth))
    }
    return {r for r in rows if any(v for v in r[2:])}


def _city(s: Session) -> dict[str, Any]:
    """The test city's actors and departments (made by the first example, read again by the others)."""
    if s.scalar(select(Department.id).where(Department.code == "housing")) is None:
        make_org(s)
    users = {u.username: actor_of(u) for u in s.scalars(select(User))}
    depts = {d.code: d.id for d in s.scalars(select(Department))}
    return {**users, "housing": depts["housing"], "transport": depts["transport"]}


def _run(s: Session, org: dict[str, Any], op: str, pick: int, month: int) -> None:
    cases = list(s.scalars(select(Case).order_by(Case.id)))
    case = cases[pick % len(cases)] if cases else None
    now = datetime.now(UTC)
    if op == "submit" or case is None:
        submit(s, now=datetime(2026, month, 10, 2, tzinfo=UTC), topic_code="01" if pick % 2 else "03")
    elif op == "accept":
        act.do_accept(s, case, org["intake"])
    elif op == "assign":
        act.do_assign(s, case, org["intake"], department_id=org["housing"] if pick % 2 else org["transport"])
    elif op == "return":
        who = "housing-handler" if case.department_id == org["housing"] else "transport-handler"
        act.do_return(s, case, org[who], reason="不属于本局职责，请改派其他部门办理")
    elif op == "reply":
        who = "housing-handler" if case.department_id == org["housing"] else "transport-handler"
        act.do_reply(
            s,
            case,
            org[who],
            text="已派人维修，今日恢复正常，感谢反映。",
            now=now + timedelta(days=pick),
        )
    elif op == "sweep":
        end_read(s)
        sweep(s.get_bind(), now=now + timedelta(days=40 + pick))  # type: ignore[arg-type]
    else:
        act.do_evaluate(s, case, SYSTEM, evaluation=Evaluation(op))


@example(program=[  # every figure at least once: a return, a rehandling, both ratings, the sweep's rungs
    ("submit", 1, 1), ("accept", 1, 1), ("assign", 1, 1), ("return", 1, 1), ("assign", 0, 1), ("reply", 1, 1),
    ("unsatisfied", 1, 1), ("reply", 3, 1), ("partly", 1, 1), ("submit", 0, 2), ("accept", 1, 2),
    ("assign", 1, 2), ("sweep", 7, 2), ("submit", 0, 3), ("accept", 0, 3), ("assign", 0, 3), ("reply", 0, 3),
    ("satisfied", 0, 3)])  # fmt: skip
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.tuples(st.sampled_from(OPS), st.integers(0, 7), st.integers(1, 3)), min_size=1, max_size=14)
)
def test_the_rollup_agrees_with_the_record_after_any_actions(
    engine: Engine, program: list[tuple[str, int, int]]
) -> None:
    queries._CACHE.clear()
    with session_factory(engine)() as s:
        org = _city(s)
        for op, pick, month in program:
            try:
                _run(s, org, op, pick, month)
            except MinyiError:
                s.rollback()  # a step the case's state refuses: nothing was written
            s.expire_all()
        queries._CACHE.clear()
        kept = _figures(queries.scoreboard(s, calendar(s)))
        assert kept == _from_record(s)
        before = _months(s)
        end_read(s)
        do_rebuild_scoreboard(s, SYSTEM)  # recomputed from the record: the same months, and idempotent
        assert _months(s) == before
        end_read(s)
        do_rebuild_scoreboard(s, SYSTEM)
        assert _months(s) == before
    queries._CACHE.clear()


def test_a_holiday_set_after_the_reply_is_counted_again(session: Session) -> None:
    """Monday to Friday is four working days; make Wednesday a holiday afterwards and the board says three."""
    from datetime import date

    from minyi.deadlines.actions import do_set_calendar_day
    from tests.support.factories import make_org as org_of

    org = org_of(session)
    monday, friday = datetime(2026, 3, 2, 2, tzinfo=UTC), datetime(2026, 3, 6, 2, tzinfo=UTC)
    case = submit(session, now=monday)
    act.do_accept(session, case, org.actor("intake"), now=monday)
    act.do_assign(session, case, org.actor("intake"), department_id=org.housing.id, now=monday)
    act.do_sign_for(session, case, org.actor("housing-handler"), now=monday)
    act.do_reply(session, case, org.actor("housing-handler"), text="已派人维修，今日恢复正常。", now=friday)
    queries._CACHE.clear()
    before = {r.name: r.avg_reply_days for r in queries.scoreboard(session, calendar(session))}["住建局"]
    do_set_calendar_day(session, org.actor("admin"), date(2026, 3, 4), "holiday")
    queries._CACHE.clear()
    after = {r.name: r.avg_reply_days for r in queries.scoreboard(session, calendar(session))}["住建局"]
    assert (before, after) == (4, 3)
    assert _figures(queries.scoreboard(session, calendar(session))) == _from_record(session)
    queries._CACHE.clear()
