"""The escalation ladder and the tamper-evident record, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.orm import Session

from minyi.accounts.actor import CITIZEN, SYSTEM
from minyi.audit.verify import verify_all
from minyi.cases import actions as act
from minyi.cases.models import Case, CaseEvent
from minyi.cases.rules import Evaluation, Status
from minyi.db import utcnow
from minyi.deadlines.models import EscalationNotice
from minyi.deadlines.sweep import sweep
from minyi.uow import write
from tests.support.factories import make_org, submit
from tests.support.parallel import run_parallel
from tests.support.tamper import OUTSIDER


def _overdue_case(session: Session, days_ago: int = 120) -> Case:
    org = make_org(session)
    case = submit(session, now=utcnow() - timedelta(days=days_ago))
    t = case.registered_at + timedelta(hours=1)
    act.do_accept(session, case, org.actor("intake"), now=t)
    act.do_assign(session, case, org.actor("intake"), department_id=org.housing.id, now=t)
    act.do_sign_for(session, case, org.actor("housing-handler"), now=t)
    return case


def _notices(session: Session) -> list[tuple[int, str, int]]:
    session.rollback()  # see what the sweeps committed, not an older snapshot
    rows = session.execute(select(EscalationNotice.case_id, EscalationNotice.stage, EscalationNotice.level))
    return sorted((r[0], r[1], r[2]) for r in rows)


def test_sweep_climbs_the_ladder_once(engine: Engine, session: Session) -> None:
    case = _overdue_case(session, days_ago=120)
    report = sweep(engine)
    assert report.issued["accountability"] == 1
    assert sweep(engine).total_issued == 0  # running it again sends nothing twice
    session.expire_all()
    fresh = session.get(Case, case.id)
    assert fresh is not None and fresh.escalation_level == 3 and fresh.next_escalation_at is None
    assert _notices(session) == [(case.id, "handling", 3)]
    assert list(verify_all(session)) == []


def test_sweep_reminds_before_the_deadline_then_supervises_after(engine: Engine, session: Session) -> None:
    case = _overdue_case(session, days_ago=0)
    assert sweep(engine).total_issued == 0
    session.refresh(case)
    assert sweep(engine, now=case.remind_at).issued["reminder"] == 1  # type: ignore[arg-type]
    assert sweep(engine, now=case.due_at + timedelta(hours=1)).issued["supervision"] == 1  # type: ignore[operator]
    assert sweep(engine, now=case.due_at + timedelta(hours=2)).total_issued == 0  # type: ignore[operator]
    assert [n[2] for n in _notices(session)] == [1, 2]


def test_parallel_sweeps_issue_each_notice_once(engine: Engine, session: Session) -> None:
    org = make_org(session)
    for i in range(30):
        c = submit(session, title=f"第{i}件", now=utcnow() - timedelta(days=90))
        act.do_accept(session, c, org.actor("intake"), now=c.registered_at)
    errors = run_parallel(lambda: sweep(engine), 4)
    assert not errors
    session.rollback()
    assert session.scalar(select(func.count()).select_from(EscalationNotice)) == 30
    assert list(verify_all(session)) == []


def test_unevaluated_replies_close_when_the_period_ends(engine: Engine, session: Session) -> None:
    org = make_org(session)
    case = _to_replied(session, org)
    report = sweep(engine, now=case.due_at + timedelta(seconds=1))  # type: ignore[operator]
    assert report.closed_unevaluated == 1
    session.expire_all()
    assert session.get(Case, case.id).status == Status.closed  # type: ignore[union-attr]


def _to_replied(session: Session, org) -> Case:  # type: ignore[no-untyped-def]
    case = submit(session)
    act.do_accept(session, case, org.actor("intake"))
    act.do_assign(session, case, org.actor("intake"), department_id=org.housing.id)
    act.do_sign_for(session, case, org.actor("housing-handler"))
    act.do_reply(session, case, org.actor("housing-handler"), text="已处理")
    return case


def test_audit_verify_names_edited_deleted_and_inserted_events(session: Session) -> None:
    org = make_org(session)
    a, b, c = (_to_replied(session, org) for _ in range(3))
    act.do_evaluate(session, a, CITIZEN, evaluation=Evaluation.satisfied)
    assert list(verify_all(session)) == []
    with write(session, SYSTEM, bookkeeping=OUTSIDER):
        session.execute(
            update(CaseEvent).where(CaseEvent.case_id == a.id, CaseEvent.seq == 2).values(note="改过")
        )
        session.execute(
            delete(CaseEvent).where(CaseEvent.case_id == b.id, CaseEvent.seq == 5)
        )  # the last one
        last = session.scalar(select(CaseEvent).where(CaseEvent.case_id == c.id, CaseEvent.seq == 3))
        assert last is not None
        session.add(CaseEvent(case_id=c.id, seq=99, at=last.at, actor_label="x", actor_role="admin", action="reply",
                              data={}, public=True, prev_hash=last.hash, hash="0" * 64))  # fmt: skip
    problems = {p.case_id: p for p in verify_all(session)}
    assert problems[a.id].position == 2 and "edited" in problems[a.id].problem
    assert problems[b.id].position == 5
    assert c.id in problems
