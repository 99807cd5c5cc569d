"""The accountability section of the reports: counted in the year, filtered to the unit, public decisions only."""

from __future__ import annotations

from sqlalchemy.orm import Session

from minyi.accountability.actions import do_open_record
from minyi.accountability.commands import COMMANDS, execute
from minyi.accountability.report_section import accountability_figures
from minyi.accountability.rules import Form, Ground
from minyi.accountability.schemas import DecisionIn, RecordIn
from minyi.annual import sections
from minyi.annual.rules import Scope
from minyi.db import utcnow
from minyi.web.rendering import render_document
from tests.support.factories import make_org


def test_records_of_the_year_by_ground_and_form_with_only_public_decisions_shown(session: Session) -> None:
    org = make_org(session)
    sup = org.actor("supervisor")
    body = RecordIn(unit_id=org.housing.id, post="审批科科长", person="王某某", ground=Ground.false_reply,
                    form=Form.admonishment, summary="三件答复称已修复，回访均未修复")  # fmt: skip
    published = do_open_record(session, sup, body)
    execute(session, sup, published.id, COMMANDS["decide"],
            DecisionIn(decision="诫勉谈话，联系电话13900001111", form=Form.public_criticism, public=True))  # fmt: skip
    private = do_open_record(session, sup, body.model_copy(update={"person": "李某某"}))
    decide = DecisionIn(decision="内部处理", form=Form.organisational)
    execute(session, sup, private.id, COMMANDS["decide"], decide)
    other = body.model_copy(update={"unit_id": org.transport.id, "ground": Ground.late_cases, "person": None})
    do_open_record(session, sup, other)
    year = utcnow().year
    city = accountability_figures(session, Scope(year))
    assert (city.opened, city.decided) == (3, 2)
    assert dict(city.opened_by_ground) == {"虚假答复": 2, "办件超期": 1}
    assert dict(city.decided_by_form) == {"通报批评": 1, "组织处理": 1}
    (view,) = city.public
    assert view.id == published.id and view.person == "王某某" and "13900001111" not in view.decision
    unit = accountability_figures(session, Scope(year, org.transport.id, "T", "交通"))
    assert (unit.opened, unit.decided, unit.public) == (1, 0, [])
    assert accountability_figures(session, Scope(year - 1)).opened == 0
    assert "accountability" in [s.key for s in sections.sections_for(sections.ANNUAL)]
    html = render_document("annual/_accountability.html", {"s": city})
    assert "王某某" in html and "通报批评" in html
    assert "李某某" not in html and "13900001111" not in html
