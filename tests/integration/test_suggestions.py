"""建议提案办理 through the command table, on SQLite and PostgreSQL: every step, the clock, the record."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from minyi.accounts.actor import SYSTEM, Actor
from minyi.deadlines.months import add_months, month_deadline
from minyi.deadlines.workcal import CHINA
from minyi.errors import Conflict, Forbidden, InvalidInput, InvalidTransition, NotFound, NotPermitted
from minyi.suggestions.actions import do_register_suggestion
from minyi.suggestions.commands import EVALUATE, STAFF_COMMANDS, execute, execute_proposer
from minyi.suggestions.events import verify_suggestion, verify_suggestions
from minyi.suggestions.models import FollowUp, Suggestion, SuggestionEvent
from minyi.suggestions.queries import access_suggestion_by_id, list_suggestions
from minyi.suggestions.schemas import SuggestionIn
from tests.support.factories import Org, make_org
from tests.support.tamper import arrange

SESSION = "明川市第十五届人民代表大会第三次会议"
ANSWER = "经研究，该路口信号灯配时优化已列入2027年交通治理计划，我局将于9月底前完成改造并向代表报告。"


def register(session: Session, org: Org, number: int = 123, **over: Any) -> tuple[Suggestion, str | None]:
    data: dict[str, Any] = {
        "kind": "deputy_suggestion", "session": SESSION, "number": number,
        "proposer": {"name": "李代表", "kind": "deputy"}, "cosigners": ["王代表", "张代表"],
        "subject": "关于优化人民路口信号灯配时的建议", "body": "人民路与解放路交叉口早晚高峰拥堵严重，建议优化信号灯配时。",
    }  # fmt: skip
    data.update(over)
    return do_register_suggestion(session, org.actor("intake"), SuggestionIn(**data))


def step(session: Session, actor: Actor, item: Suggestion, name: str, **body: Any) -> Suggestion:
    command = STAFF_COMMANDS[name]
    return execute(session, actor, item.id, command, command.schema(**body))


def contact(session: Session, actor: Actor, item: Suggestion, way: str = "phone") -> Suggestion:
    return step(
        session, actor, item, "contact", way=way, contacted_on=date.today(), who="李代表", summary="电话沟通"
    )


def test_a_suggestion_from_registration_to_a_second_answer(session: Session) -> None:
    org = make_org(session)
    item, code = register(session, org)
    assert code and item.status == "registered" and item.number == 123
    office, head = org.actor("intake"), org.actor("transport-handler")
    step(session, office, item, "accept")
    before = datetime.now(UTC)
    step(session, office, item, "assign", lead_unit_id=org.transport.id, co_unit_ids=[org.housing.id])
    assert item.status == "assigned" and item.assigned_at is not None and item.due_at is not None
    assert item.due_at == month_deadline(item.assigned_at, 3) and item.due_at > before + timedelta(days=88)
    assert item.due_at.astimezone(CHINA).date() == add_months(item.assigned_at.astimezone(CHINA).date(), 3)
    # the co-operating unit sees it, but may not take the lead unit's steps
    housing = org.actor("housing-handler")
    assert access_suggestion_by_id(session, housing, item.id).id == item.id
    with pytest.raises(NotPermitted):
        step(
            session,
            housing,
            item,
            "contact",
            way="phone",
            contacted_on=date.today(),
            who="李代表",
            summary="电话沟通",
        )
    # a handler of the lead unit records the contact; only a unit head signs the answer
    step(session, head, item, "contact", way="meeting", contacted_on=date.today(), who="李代表",
         summary="面商：代表关注早高峰左转车辆排队。")  # fmt: skip
    with pytest.raises(NotPermitted):
        step(session, head, item, "answer", category="A", text=ANSWER)
    session.rollback()


def _unit_head(session: Session, org: Org) -> Actor:
    from minyi.accounts.actions import actor_of, do_create_user

    user = do_create_user(session, SYSTEM, username="transport-head", password="correct horse battery", role="dept_head",
                          department_id=org.transport.id)  # fmt: skip
    return actor_of(user)


def test_b_answer_unsatisfied_second_answer_and_an_intact_record(session: Session) -> None:
    org = make_org(session)
    head = _unit_head(session, org)
    item, code = register(session, org)
    assert code is not None
    office = org.actor("intake")
    step(session, office, item, "accept")
    step(session, office, item, "assign", lead_unit_id=org.transport.id, co_unit_ids=[])
    step(session, office, item, "mark_key", leader="王副市长")
    with pytest.raises(InvalidTransition, match="contact"):
        step(session, head, item, "answer", category="A", text=ANSWER)
    contact(session, head, item)
    plan_day = date.today() + timedelta(days=120)
    step(session, head, item, "answer", category="B", text=ANSWER, plan="年内完成改造", plan_date=plan_day)
    assert item.status == "answered" and item.category == "B" and item.answered_on_time
    assert session.scalar(select(FollowUp.due_on).where(FollowUp.suggestion_id == item.id)) == plan_day
    # staff may not judge in the proposer's place; another code opens nothing
    with pytest.raises(Forbidden):
        execute_proposer(
            session, code, item.id, EVALUATE.schema(satisfaction="satisfied"), staff_credentials=True
        )
    with pytest.raises(NotFound):
        execute_proposer(session, "0000-0000-0000", item.id, EVALUATE.schema(satisfaction="satisfied"),
                         staff_credentials=False)  # fmt: skip
    execute_proposer(session, code, item.id, EVALUATE.schema(satisfaction="unsatisfied", comment="进度太慢"),
                     staff_credentials=False)  # fmt: skip
    assert item.status == "reanswering" and item.round == 2
    assert item.due_at is not None and item.due_at < datetime.now(UTC) + timedelta(days=32)
    step(session, head, item, "answer", category="A", text=ANSWER)
    execute_proposer(session, code, item.id, EVALUATE.schema(satisfaction="basically_satisfied"),
                     staff_credentials=False)  # fmt: skip
    assert item.status == "evaluated" and item.satisfaction == "basically_satisfied"
    actions = session.scalars(select(SuggestionEvent.action).where(SuggestionEvent.suggestion_id == item.id)
                              .order_by(SuggestionEvent.seq)).all()  # fmt: skip
    assert actions == ["register", "accept", "assign", "mark_key", "contact", "answer", "evaluate", "answer",
                       "evaluate"]  # fmt: skip
    assert verify_suggestion(session, item) == []
    session.execute(update(SuggestionEvent).where(SuggestionEvent.suggestion_id == item.id,
                                                  SuggestionEvent.seq == 6).values(note="edited"))  # fmt: skip
    assert verify_suggestion(session, item)[0].position == 6
    from minyi.audit.verify import check_record

    assert [(p.case_id, p.position) for p in verify_suggestions(session)] == [(item.id, 6)]
    assert f"suggestion {item.id} event 6" in " ".join(check_record(session).problems)
    session.rollback()


def test_not_accepted_dispute_window_extension_and_withholding(session: Session) -> None:
    org = make_org(session)
    office, unit = org.actor("intake"), org.actor("transport-handler")
    refused, _ = register(session, org, number=1)
    step(session, office, refused, "not_accept", reason="属于个人诉求，转为意见建议", to_opinion=True)
    assert refused.status == "not_accepted" and refused.to_opinion
    item, _ = register(session, org, number=2, proposer=None, proposer_id=refused.proposer_id)
    step(session, office, item, "accept")
    step(session, office, item, "assign", lead_unit_id=org.transport.id, co_unit_ids=[])
    step(session, unit, item, "dispute", reason="该路口由东区政府管理")
    step(session, office, item, "decide_dispute", uphold=False, lead_unit_id=org.housing.id)
    assert item.status == "assigned" and item.lead_unit_id == org.housing.id
    with pytest.raises(NotFound):  # the old lead unit no longer sees it
        access_suggestion_by_id(session, unit, item.id)
    with pytest.raises(InvalidTransition):
        step(session, office, item, "extend", months=7, reason="涉及面广")
    step(session, office, item, "extend", months=6, reason="涉及面广，经批准延长")
    assert item.months == 6 and item.assigned_at is not None and item.due_at is not None
    assert (item.due_at - item.assigned_at).days > 175
    # past the dispute window the unit can no longer dispute
    session.execute(update(Suggestion).where(Suggestion.id == item.id)
                    .values(dispute_until=datetime.now(UTC) - timedelta(days=1)))  # fmt: skip
    arrange(session)
    with pytest.raises(InvalidTransition, match="passed"):
        step(session, org.actor("housing-handler"), item, "dispute", reason="不归我们")
    step(session, org.actor("housing-head"), item, "contact", way="declined", contacted_on=date.today(),
         who="李代表", summary="代表表示无需面商")  # fmt: skip
    step(session, org.actor("housing-head"), item, "answer", category="C", text=ANSWER, reason="受财力所限")
    step(session, office, item, "withhold", reason="涉及尚未公开的规划")
    assert not item.published and item.withhold_reason
    session.rollback()


def test_refusals_write_nothing(session: Session) -> None:
    org = make_org(session)
    item, _ = register(session, org)
    with pytest.raises(Conflict):
        register(session, org)  # the same number in the same session
    session.rollback()
    with pytest.raises(Forbidden):
        do_register_suggestion(session, org.actor("housing-handler"), SuggestionIn(
            kind="cppcc_proposal", session="政协十五届三次", number=9, proposer={"name": "民盟"},
            subject="关于", body="正文"))  # fmt: skip
    session.rollback()
    office = org.actor("intake")
    step(session, office, item, "accept")
    with pytest.raises(InvalidInput):
        step(session, office, item, "assign", lead_unit_id=999_999, co_unit_ids=[])
    session.rollback()
    fresh = session.get(Suggestion, item.id)
    assert fresh is not None and fresh.status == "accepted" and fresh.event_count == 2
    with pytest.raises(Conflict):
        execute(session, office, item.id, STAFF_COMMANDS["accept"], STAFF_COMMANDS["accept"].schema(),
                expected_version=fresh.version - 1)  # fmt: skip
    session.rollback()


def test_units_list_only_their_items(session: Session) -> None:
    org = make_org(session)
    office = org.actor("intake")
    for n, dept in ((1, org.transport.id), (2, org.housing.id), (3, None)):
        item, _ = register(session, org, number=n)
        if dept:
            step(session, office, item, "accept")
            step(session, office, item, "assign", lead_unit_id=dept, co_unit_ids=[])
    assert [i.number for i in list_suggestions(session, office, session_label=SESSION)] == [1, 2, 3]
    assert [i.number for i in list_suggestions(session, org.actor("housing-handler"))] == [2]
    assert list_suggestions(session, office, session_label="另一次会议") == []
    session.rollback()


def test_statistics_per_session_and_unit(session: Session) -> None:
    from minyi.suggestions.stats import stats_csv, suggestion_stats

    org = make_org(session)
    head = _unit_head(session, org)
    office = org.actor("intake")
    registered = [register(session, org, number=n) for n in (1, 2, 3, 4)]
    items = [i for i, _ in registered]
    refused = register(session, org, number=5)[0]
    step(session, office, refused, "not_accept", reason="不属于本级职权")
    for item in items[:3]:
        step(session, office, item, "accept")
        step(session, office, item, "assign", lead_unit_id=org.transport.id, co_unit_ids=[])
        contact(session, head, item)
    step(session, office, items[0], "mark_key", leader="王副市长")
    step(session, head, items[0], "answer", category="A", text=ANSWER)
    step(session, head, items[1], "answer", category="C", text=ANSWER, reason="受条件限制")
    session.execute(update(Suggestion).where(Suggestion.id == items[2].id)
                    .values(due_at=datetime.now(UTC) - timedelta(days=1)))  # fmt: skip
    arrange(session)
    for (item, code), satisfaction in zip(registered[:2], ("satisfied", "unsatisfied"), strict=False):
        assert code is not None
        execute_proposer(
            session, code, item.id, EVALUATE.schema(satisfaction=satisfaction), staff_credentials=False
        )
    from minyi.suggestions.queries import suggestion_view

    assert [suggestion_view(session, i).ladder for i in items] == [0, 0, 2, 0]  # overdue: supervision notice
    rows = suggestion_stats(session, SESSION)
    unit, total = rows
    assert unit.unit == "交通局" and total.items == 4  # not accepted items are not counted
    assert (unit.assigned, unit.answered, unit.on_time, unit.overdue_open) == (3, 2, 2, 1)
    assert (unit.a, unit.b, unit.c, unit.satisfied, unit.unsatisfied) == (1, 0, 1, 1, 1)
    assert (unit.second_round, unit.key_items, unit.on_time_rate, unit.satisfaction_rate) == (1, 1, 1.0, 0.5)
    text = stats_csv(rows)
    assert text.startswith("\ufeff") and "交通局" in text and "50.0%" in text
    session.rollback()
