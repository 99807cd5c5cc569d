"""Public evaluation on SQLite and PostgreSQL: verified raters only, one rating per person per department (the
database keeps it too), nothing after the period closes, results with the number of raters and the spread."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from minyi.accounts.actor import SYSTEM
from minyi.audit.models import AuditEntry
from minyi.cases.tracking import new_code
from minyi.errors import Conflict, Forbidden, InvalidInput, NotFound
from minyi.evaluation import actions as act
from minyi.evaluation.models import EvaluationRating
from minyi.evaluation.present import period_view
from minyi.evaluation.queries import verify_rater
from minyi.evaluation.rules import CRITERION_KEYS
from minyi.suggestions.models import Proposer
from minyi.suggestions.queries import code_hash
from minyi.uow import write
from tests.integration.test_audit_tampering import _replied
from tests.support.factories import Org, make_org, submit


def marks(value: int) -> dict[str, int]:
    return dict.fromkeys(CRITERION_KEYS, value)


def proposer(session: Session, kind: str) -> str:
    code = new_code()
    with write(session, SYSTEM) as tx:
        session.add(Proposer(name=f"测试{kind}", kind=kind, code_hash=code_hash(code)))
        tx.record("fixture.proposer", "proposer", kind, {})
    return code


@pytest.fixture
def org(session: Session) -> Org:
    return make_org(session)


def test_a_citizen_rates_the_department_that_answered_once_and_only_while_open(
    session: Session, org: Org
) -> None:
    period = act.do_open_period(session, org.actor("supervisor"), "2026年度民主评议")
    case = _replied(session, org, "电梯故障")
    rater = verify_rater(session, tracking_code=case.tracking_code, proposer_code=None)
    act.do_rate(session, rater, period.id, org.housing.id, marks(4))
    with pytest.raises(Conflict):
        act.do_rate(session, rater, period.id, org.housing.id, marks(1))
    with pytest.raises(InvalidInput):  # not the department that answered this citizen
        act.do_rate(session, rater, period.id, org.transport.id, marks(2))
    with pytest.raises(InvalidInput):  # a criterion missing, or a mark off the scale
        act.do_rate(session, rater, period.id, org.housing.id, {**marks(3), "service": 9})
    act.do_close_period(session, org.actor("supervisor"), period.id)
    other = verify_rater(
        session, tracking_code=_replied(session, org, "路灯").tracking_code, proposer_code=None
    )
    with pytest.raises(Conflict):
        act.do_rate(session, other, period.id, org.housing.id, marks(5))
    assert len(session.scalars(select(EvaluationRating)).all()) == 1
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action.like("evaluation.%"))).all()
    assert [e.action for e in entries] == ["evaluation.opened", "evaluation.rated", "evaluation.closed"]
    assert case.tracking_code not in str([e.data for e in entries])


def test_unverified_raters_are_refused(session: Session, org: Org) -> None:
    unanswered = submit(session, title="噪音", body="夜间施工噪音扰民，已持续一周，希望处理。")
    for tracking, prop in [(unanswered.tracking_code, None), ("ABCD-EFGH-JKMN", None), (None, "XXXX-XXXX-XXXX"),
                           (None, proposer(session, "media")), (None, None)]:  # fmt: skip
        with pytest.raises(NotFound):
            verify_rater(session, tracking_code=tracking, proposer_code=prop)
    deputy = verify_rater(session, tracking_code=None, proposer_code=proposer(session, "deputy"))
    assert deputy.kind == "deputy" and deputy.departments is None


def test_one_rating_per_person_per_department_is_kept_by_the_database(session: Session, org: Org) -> None:
    period = act.do_open_period(session, org.actor("supervisor"), "评议")
    row = {"period_id": period.id, "department_id": org.housing.id, "rater_digest": "d" * 64, "rater_kind": "citizen",
           "scores": marks(3)}  # fmt: skip
    with pytest.raises(IntegrityError), write(session, SYSTEM) as tx:
        session.add_all([EvaluationRating(**row), EvaluationRating(**row)])
        session.flush()
        tx.record("fixture", "x", 1, {})


def test_results_show_raters_and_the_spread_once_closed_and_only_with_enough_raters(
    session: Session, org: Org
) -> None:
    period = act.do_open_period(session, org.actor("supervisor"), "评议")
    for value in (5, 5, 1):
        rater = verify_rater(session, tracking_code=None, proposer_code=proposer(session, "deputy"))
        act.do_rate(session, rater, period.id, org.housing.id, marks(value))
    rater = verify_rater(session, tracking_code=None, proposer_code=proposer(session, "organisation"))
    act.do_rate(session, rater, period.id, org.transport.id, marks(2))
    open_view = {r.department_id: r for r in period_view(session, period).results}
    assert open_view[org.housing.id].raters == 3 and not open_view[org.housing.id].published
    act.do_close_period(session, org.actor("supervisor"), period.id)
    closed = {r.department_id: r for r in period_view(session, period).results}
    housing = closed[org.housing.id]
    assert housing.published and housing.by_kind == {"deputy": 3}
    service = housing.criteria[0]
    assert service.mean == 3.67 and service.counts == {1: 1, 2: 0, 3: 0, 4: 0, 5: 2}
    assert (
        closed[org.transport.id].raters == 1 and not closed[org.transport.id].published
    )  # too few to publish
    assert closed[org.transport.id].criteria == []


def test_only_supervisors_open_and_close_and_one_period_at_a_time(session: Session, org: Org) -> None:
    with pytest.raises(Forbidden):
        act.do_open_period(session, org.actor("housing-head"), "评议")
    period = act.do_open_period(session, org.actor("admin"), "评议")
    with pytest.raises(Conflict):
        act.do_open_period(session, org.actor("supervisor"), "第二次")
    with pytest.raises(Forbidden):
        act.do_close_period(session, org.actor("intake"), period.id)
