"""分办, 协办意见 and disputes of assignment, on SQLite and PostgreSQL, through the command table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from minyi.accounts.actions import actor_of, do_create_user
from minyi.accounts.actor import SYSTEM, Actor
from minyi.errors import Conflict, InvalidInput, InvalidTransition, NotPermitted
from minyi.suggestions.events import verify_suggestion
from minyi.suggestions.models import Suggestion, SuggestionAnswer, SuggestionEvent
from minyi.suggestions.queries import suggestion_view
from tests.integration.test_suggestions import ANSWER, contact, register, step
from tests.support.factories import Org, make_org
from tests.support.tamper import arrange


def _head(session: Session, org: Org, name: str, dept_id: int) -> Actor:
    user = do_create_user(session, SYSTEM, username=name, password="correct horse battery", role="dept_head",
                          department_id=dept_id)  # fmt: skip
    return actor_of(user)


def _events(session: Session, item_id: int) -> int:
    stmt = select(func.count()).select_from(SuggestionEvent).where(SuggestionEvent.suggestion_id == item_id)
    return session.scalar(stmt) or 0


def test_a_split_item_is_answered_when_every_unit_has_answered_its_part(session: Session) -> None:
    org = make_org(session)
    item, _ = register(session, org)
    office = org.actor("intake")
    housing, transport = org.actor("housing-head"), _head(session, org, "transport-head", org.transport.id)
    step(session, office, item, "accept")
    step(session, office, item, "assign", lead_unit_id=org.housing.id, part_unit_ids=[org.transport.id])
    assert suggestion_view(session, item).part_unit_ids == [org.transport.id]
    contact(session, housing, item)
    step(session, housing, item, "answer", category="A", text=ANSWER)
    assert item.status == "assigned" and item.category is None  # one part of two
    with pytest.raises(Conflict):
        step(session, housing, item, "answer", category="A", text=ANSWER)
    with pytest.raises(InvalidTransition):  # the lead unit's contact does not count for the transport part
        step(session, transport, item, "answer", category="C", text=ANSWER, reason="财力所限")
    contact(session, transport, item)
    step(session, transport, item, "answer", category="C", text=ANSWER, reason="财力所限")
    assert item.status == "answered" and item.category == "C"  # the least settled part
    assert sorted(a.unit_id for a in suggestion_view(session, item).answers) == sorted(
        [org.housing.id, org.transport.id]
    )
    assert verify_suggestion(session, item) == []


def test_the_lead_waits_for_the_opinions_it_asked_for_unless_the_office_waives(session: Session) -> None:
    org = make_org(session)
    item, _ = register(session, org)
    office, head = org.actor("intake"), org.actor("housing-head")
    co = org.actor("transport-handler")
    step(session, office, item, "accept")
    step(session, office, item, "assign", lead_unit_id=org.housing.id, co_unit_ids=[org.transport.id])
    with pytest.raises(NotPermitted):  # a co-operating unit neither answers nor asks
        step(session, co, item, "request_opinions")
    step(session, head, item, "request_opinions")
    contact(session, head, item)
    before = _events(session, item.id)
    with pytest.raises(InvalidTransition) as refused:
        step(session, head, item, "answer", category="A", text=ANSWER)
    assert refused.value.field == "opinions" and _events(session, item.id) == before
    step(session, co, item, "give_opinion", opinion="信号灯改造由我局配合实施")
    step(session, head, item, "answer", category="A", text=ANSWER)
    assert item.status == "answered"
    [opinion] = suggestion_view(session, item).opinions
    assert opinion.unit_id == org.transport.id and opinion.opinion and not opinion.waived

    other, _ = register(session, org, number=124)
    step(session, office, other, "accept")
    step(session, office, other, "assign", lead_unit_id=org.housing.id, co_unit_ids=[org.transport.id])
    step(session, office, other, "request_opinions")
    contact(session, head, other)
    with pytest.raises(NotPermitted):  # only the office waives
        step(session, head, other, "waive_opinions", reason="协办单位逾期未复")
    step(session, office, other, "waive_opinions", reason="协办单位逾期未复")
    with pytest.raises(InvalidTransition):  # nothing left to waive
        step(session, office, other, "waive_opinions", reason="再次")
    step(session, head, other, "answer", category="A", text=ANSWER)
    waived = session.scalars(select(SuggestionEvent).where(SuggestionEvent.suggestion_id == other.id,
                                                           SuggestionEvent.action == "waive_opinions")).one()  # fmt: skip
    assert waived.note == "协办单位逾期未复" and waived.data["units"] == [org.transport.id]


def test_only_the_items_co_operating_units_are_asked(session: Session) -> None:
    org = make_org(session)
    item, _ = register(session, org)
    office = org.actor("intake")
    step(session, office, item, "accept")
    step(session, office, item, "assign", lead_unit_id=org.housing.id)
    with pytest.raises(InvalidInput):  # no co-operating unit at all
        step(session, office, item, "request_opinions")
    with pytest.raises(InvalidInput):
        step(session, office, item, "request_opinions", unit_ids=[org.district.id])


def test_a_unit_is_lead_part_or_co_operating_not_two(session: Session) -> None:
    org = make_org(session)
    item, _ = register(session, org)
    office = org.actor("intake")
    step(session, office, item, "accept")
    with pytest.raises(InvalidInput):
        step(session, office, item, "assign", lead_unit_id=org.housing.id, co_unit_ids=[org.transport.id],
             part_unit_ids=[org.transport.id])  # fmt: skip
    assert item.status == "accepted"


def test_a_co_operating_unit_disputes_within_the_window_and_the_office_reassigns(session: Session) -> None:
    org = make_org(session)
    item, _ = register(session, org)
    office, co = org.actor("intake"), org.actor("transport-handler")
    step(session, office, item, "accept")
    step(session, office, item, "assign", lead_unit_id=org.housing.id, co_unit_ids=[org.transport.id])
    step(session, co, item, "dispute", reason="本局不涉及该事项")
    assert item.status == "disputed"
    step(session, office, item, "decide_dispute", uphold=False, lead_unit_id=org.housing.id,
         part_unit_ids=[org.district.id])  # fmt: skip
    view = suggestion_view(session, item)
    assert item.status == "assigned" and view.co_unit_ids == [] and view.part_unit_ids == [org.district.id]
    session.execute(update(Suggestion).where(Suggestion.id == item.id)
                    .values(dispute_until=datetime.now(UTC) - timedelta(days=1)))  # fmt: skip
    arrange(session)
    with pytest.raises(InvalidTransition, match="passed"):  # the new split unit, past the window
        step(session, _head(session, org, "east-head", org.district.id), item, "dispute", reason="太晚了")
    answers = select(func.count()).select_from(SuggestionAnswer)
    assert session.scalar(answers) == 0
