"""Upgrading to 0018 gives existing answers and contacts their unit (the lead unit), follow-ups kept."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from minyi.db import session_factory
from minyi.migrate import downgrade, upgrade
from minyi.suggestions.models import ContactRecord, FollowUp, SuggestionAnswer
from tests.integration.test_suggestions import ANSWER, contact, register, step
from tests.support.factories import make_org


def test_upgrading_to_0018_gives_old_answers_and_contacts_the_lead_unit(engine: Engine) -> None:
    with session_factory(engine)() as s:
        org = make_org(s)
        item, _ = register(s, org)
        step(s, org.actor("intake"), item, "accept")
        step(s, org.actor("intake"), item, "assign", lead_unit_id=org.housing.id)
        contact(s, org.actor("housing-head"), item)
        step(s, org.actor("housing-head"), item, "answer", category="B", text=ANSWER, plan="年内完成",
             plan_date=date.today() + timedelta(days=60))  # fmt: skip
        housing = org.housing.id
    downgrade(engine, "0014")
    upgrade(engine)
    with Session(engine) as s:
        assert [a.department_id for a in s.scalars(select(SuggestionAnswer))] == [housing]
        assert [c.department_id for c in s.scalars(select(ContactRecord))] == [housing]
        assert len(s.scalars(select(FollowUp)).all()) == 1
