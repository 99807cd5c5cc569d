"""The department suggestion: the triage threshold withholds a doubtful one; its accuracy is reported."""

from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy.orm import Session

from minyi.cases import actions as act
from minyi.learning.routing import routing_report
from minyi.understanding.apply import understand_text
from tests.support.factories import make_org, submit


def _enrichment(needs_triage: bool) -> SimpleNamespace:
    topic = SimpleNamespace(
        label="城乡建设", confidence=0.5 if needs_triage else 0.99, needs_triage=needs_triage
    )
    return SimpleNamespace(
        topic=topic, emotion=None, urgency=[], is_urgent=False, signature=b"", band_keys=[]
    )


def test_a_topic_below_the_triage_threshold_suggests_no_department(session: Session) -> None:
    org = make_org(session)
    sure = understand_text(session, "电梯坏了", "小区电梯", region_code="990102", topic_code=None,
                           enrichment=_enrichment(False))  # fmt: skip
    doubtful = understand_text(session, "电梯坏了", "小区电梯", region_code="990102", topic_code=None,
                               enrichment=_enrichment(True))  # fmt: skip
    given = understand_text(session, "电梯坏了", "小区电梯", region_code="990102", topic_code="01",
                            enrichment=_enrichment(True))  # fmt: skip
    assert sure.fields["suggested_department_id"] == org.housing.id
    assert "suggested_department_id" not in doubtful.fields  # a person decides
    assert given.fields["suggested_department_id"] == org.housing.id  # a topic given by a person still routes


def test_routing_accuracy_counts_the_department_staff_settled_on(session: Session) -> None:
    org = make_org(session)
    intake, handler = org.actor("intake"), org.actor("housing-handler")
    right = submit(session)  # topic 01: suggested housing
    wrong = submit(session, title="小区门口公交站", body="小区门口的公交站被撤，希望恢复。")
    for case in (right, wrong):
        act.do_accept(session, case, intake)
        act.do_assign(session, case, intake, department_id=org.housing.id)
    act.do_return(session, wrong, handler, reason="不属于本单位职责")
    act.do_assign(session, wrong, intake, department_id=org.transport.id)
    report = routing_report(session)
    assert report["assigned_cases"] == 2
    assert report["stored"]["all"] == {"n": 2, "accuracy": 0.5}
    assert report["changed_stored"]["all"] == {"n": 1, "accuracy": 0.0}
