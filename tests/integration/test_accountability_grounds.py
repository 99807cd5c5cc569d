"""Accountability grounds beyond a late case, on SQLite and PostgreSQL: an empty reply rated unsatisfied, a case
re-handled more than twice, a rectification item rejected or overdue (the sweep on a frozen clock). One record
per ground and subject, the unit and the post only, the evidence on the record and on its audit entry."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from minyi.accountability.models import AccountabilityEvidence, AccountabilityRecord
from minyi.accounts.actor import CITIZEN
from minyi.audit.models import AuditEntry
from minyi.cases import actions as act
from minyi.cases.models import Case
from minyi.cases.rules import Evaluation
from minyi.db import utcnow
from minyi.deadlines.sweep import sweep
from minyi.inspection.commands import COMMANDS, execute
from minyi.inspection.models import RectificationItem
from minyi.inspection.schemas import FindingsIn
from minyi.settings import get_settings
from tests.support.factories import Org, make_org, submit
from tests.support.inspections import item, make_inspectors, open_round, report_then_decide, today

WEAK, GOOD = (
    "已处理。",
    "经现场核查，已于本周完成维修并更换老化线路，依据《物业管理条例》将每月巡查，如再发生请来电。",
)


def _records(session: Session) -> list[AccountabilityRecord]:
    session.rollback()  # see what was committed
    return list(session.scalars(select(AccountabilityRecord).order_by(AccountabilityRecord.id)))


def _replied(session: Session, org: Org, text: str) -> Case:
    case = submit(
        session, title="楼道灯坏了", body="楼道灯坏了一个月，晚上看不见路，老人摔倒过，希望尽快修好。"
    )
    act.do_accept(session, case, org.actor("intake"))
    act.do_assign(session, case, org.actor("intake"), department_id=org.housing.id)
    act.do_sign_for(session, case, org.actor("housing-handler"))
    act.do_reply(session, case, org.actor("housing-handler"), text=text)
    return case


@pytest.fixture
def three_rounds(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("MINYI_MAX_REHANDLE_ROUNDS", "3")
    get_settings.cache_clear()
    yield
    monkeypatch.delenv("MINYI_MAX_REHANDLE_ROUNDS")
    get_settings.cache_clear()


def test_an_empty_reply_rated_unsatisfied_opens_one_record_by_the_system(session: Session) -> None:
    org = make_org(session)
    fine = _replied(session, org, GOOD)
    act.do_evaluate(session, fine, CITIZEN, evaluation=Evaluation.unsatisfied)  # a full reply: not a ground
    weak = _replied(session, org, WEAK)
    assert weak.reply_weak
    act.do_evaluate(
        session, weak, CITIZEN, evaluation=Evaluation.satisfied
    )  # weak but accepted: not a ground
    assert _records(session) == []
    weak = _replied(session, org, WEAK)
    act.do_evaluate(session, weak, CITIZEN, evaluation=Evaluation.unsatisfied)
    act.do_reply(session, weak, org.actor("housing-handler"), text=WEAK)
    act.do_evaluate(session, weak, CITIZEN, evaluation=Evaluation.unsatisfied)  # closes (rounds run out)
    (record,) = _records(session)
    assert (record.ground, record.unit_id, record.person, record.source) == (
        "empty_reply", org.housing.id, None, "ladder")  # fmt: skip
    evidence = session.execute(select(AccountabilityEvidence.kind, AccountabilityEvidence.ref_id)).all()
    assert [tuple(e) for e in evidence] == [("case", weak.id)]
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "accountability.opened")).one()
    assert entry.actor_role == "system" and entry.object_id == str(record.id)
    assert entry.data["ground"] == "empty_reply" and entry.data["evidence"] == {"case": [weak.id]}


def test_a_case_sent_back_a_third_time_opens_a_rehandled_record(session: Session, three_rounds: None) -> None:
    org = make_org(session)
    case = _replied(session, org, GOOD)
    for n in range(1, 4):
        assert _records(session) == [], n
        act.do_evaluate(session, case, CITIZEN, evaluation=Evaluation.unsatisfied)
        act.do_reply(session, case, org.actor("housing-handler"), text=GOOD + f"（第{n}次重办）")
    (record,) = _records(session)
    assert record.ground == "rehandled" and record.unit_id == org.housing.id and case.round == 4


def test_a_rejected_or_overdue_rectification_item_opens_one_record_per_item(
    engine: Engine, session: Session
) -> None:
    org = make_org(session)
    ins = make_inspectors(session, org)
    lead, head = ins["inspector"], org.actor("housing-head")
    rnd = open_round(session, org, lead, [])
    due = rnd.ends_on + timedelta(days=30)
    items = [item(org, due), item(org, due, n=2), item(org, due, n=3, unit_id=org.transport.id)]
    execute(
        session, lead, rnd.id, COMMANDS["give_findings"], FindingsIn(findings="审批权力集中", items=items)
    )
    first, second, third = session.scalars(select(RectificationItem.id).order_by(RectificationItem.number))
    report_then_decide(session, head, lead, rnd.id, first, accept=False)
    report_then_decide(session, head, lead, rnd.id, second, accept=True)
    start = utcnow()
    assert sweep(engine, start).others["accountability_rectification"] == 1  # the rejected one, at once
    late = start + timedelta(days=(due - today(session)).days + 2)  # a frozen clock past the deadline
    assert sweep(engine, late).others["accountability_rectification"] == 1  # the third, still open
    assert sweep(engine, late + timedelta(days=5)).others["accountability_rectification"] == 0  # once
    records = _records(session)
    assert [(r.ground, r.unit_id, r.post) for r in records] == [
        ("rectification_failed", org.housing.id, "审批科科长"),
        ("rectification_failed", org.transport.id, "审批科科长"),
    ]
    linked = session.scalars(
        select(AccountabilityEvidence.ref_id).where(AccountabilityEvidence.kind == "rectification_item")
    )
    assert sorted(linked) == sorted([first, third])
