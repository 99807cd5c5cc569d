"""The ladder on suggestions and proposals: 催办 before the calendar-month deadline, 督办通知 after it, 公开通报
a month on; the same rungs on a B answer's promised date until the unit reports the plan done; each rung once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from minyi.deadlines.months import add_months
from minyi.errors import Conflict, NotFound
from minyi.suggestions.events import verify_suggestion
from minyi.suggestions.ladder import public_notices, run_ladder
from minyi.suggestions.models import FollowUp, Suggestion, SuggestionNotice
from tests.integration.test_suggestions import ANSWER, contact, register, step
from tests.support.factories import make_org

ASSIGNED = datetime(2027, 1, 31, 2, 0, tzinfo=UTC)  # 31 January, China time: three months on is 30 April


def _notices(session: Session) -> list[tuple[str, int]]:
    session.rollback()
    rows = session.execute(
        select(SuggestionNotice.subject, SuggestionNotice.level).order_by(SuggestionNotice.id)
    )
    return [(r[0], r[1]) for r in rows]


def _assigned(session: Session) -> Suggestion:
    org = make_org(session)
    item, _ = register(session, org, subject="关于人民路口信号灯的建议（联系电话13812345678）")
    step(session, org.actor("intake"), item, "accept")
    from minyi.suggestions.assignment import do_assign

    do_assign(session, item, org.actor("intake"), lead_unit_id=org.housing.id, co_unit_ids=[], now=ASSIGNED)
    return item


def test_the_answer_deadline_climbs_the_ladder_once_per_rung(engine: Engine, session: Session) -> None:
    item = _assigned(session)
    assert item.due_at is not None and item.due_at.date() == date(2027, 4, 30)
    assert run_ladder(engine, now=item.due_at - timedelta(days=20)).examined == 0  # not yet in the window
    report = run_ladder(engine, now=item.due_at - timedelta(days=3))
    assert report.issued == {"reminder": 1, "supervision": 0, "public_notice": 0}
    assert run_ladder(engine, now=item.due_at - timedelta(days=2)).issued["reminder"] == 0  # never twice
    run_ladder(engine, now=item.due_at + timedelta(days=1))
    run_ladder(engine, now=item.due_at + timedelta(days=31))
    run_ladder(engine, now=item.due_at + timedelta(days=32))
    assert _notices(session) == [("answer:1", 1), ("answer:1", 2), ("answer:1", 3)]
    [public] = public_notices(session)  # 公开通报 on the public page, the subject masked
    assert public["number"] == "第0123号" and public["unit"] == "住建局" and "13812345678" not in str(public)
    session.expire_all()
    assert verify_suggestion(session, session.get(Suggestion, item.id)) == []  # type: ignore[arg-type]


def test_an_answered_item_leaves_the_ladder_and_its_b_plan_joins_it(engine: Engine, session: Session) -> None:
    org = make_org(session)
    item, _ = register(session, org)
    step(session, org.actor("intake"), item, "accept")
    step(session, org.actor("intake"), item, "assign", lead_unit_id=org.housing.id)
    head = org.actor("housing-head")
    contact(session, head, item)
    promised = date.today() + timedelta(days=40)
    step(session, head, item, "answer", category="B", text=ANSWER, plan="年内完成改造", plan_date=promised)
    assert item.due_at is not None
    assert run_ladder(engine, now=item.due_at + timedelta(days=40)).issued["public_notice"] == 1  # the plan's
    assert _notices(session)[0][0].startswith("followup:")
    follow = session.scalars(select(FollowUp)).one()
    with pytest.raises(NotFound):  # another unit does not even see the item
        step(session, org.actor("transport-handler"), item, "complete_followup", followup_id=follow.id,
             note="已完成")  # fmt: skip
    step(session, org.actor("housing-handler"), item, "complete_followup", followup_id=follow.id,
         note="信号灯已改造完成")  # fmt: skip
    with pytest.raises(Conflict):
        step(
            session,
            org.actor("housing-handler"),
            item,
            "complete_followup",
            followup_id=follow.id,
            note="再报",
        )
    assert run_ladder(engine, now=item.due_at + timedelta(days=400)).examined == 0


def test_the_promised_months_count_across_the_year_end() -> None:
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
