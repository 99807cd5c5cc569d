"""The risk list from the record, on SQLite and PostgreSQL: late cases and a slipping rectification item."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from minyi.accountability.risk_queries import current_risks, histories
from minyi.cases import actions as act
from minyi.db import utcnow
from minyi.inspection.commands import COMMANDS, execute
from minyi.inspection.ladder import sweep_rectification
from minyi.inspection.schemas import FindingsIn
from tests.support.factories import make_org, submit
from tests.support.inspections import item, make_inspectors, open_round


def test_late_cases_and_a_slipping_item_put_the_department_on_the_list(session: Session) -> None:
    org = make_org(session)
    for _ in range(10):  # answered by nobody: their deadlines passed in the last weeks
        case = submit(session, now=utcnow() - timedelta(days=100))
        t = case.registered_at + timedelta(hours=1)
        act.do_accept(session, case, org.actor("intake"), now=t)
        act.do_assign(session, case, org.actor("intake"), department_id=org.housing.id, now=t)
        act.do_sign_for(session, case, org.actor("housing-handler"), now=t)
    now = utcnow()
    (h,) = [h for h in histories(session, now) if h.department_id == org.housing.id]
    assert sum(w.due for w in h.weeks) == 10 and sum(w.late for w in h.weeks) == 10
    (risk,) = current_risks(session, now)
    assert risk.department_id == org.housing.id and [r.code for r in risk.reasons] == ["overdue"]

    ins = make_inspectors(session, org)
    rnd = open_round(session, org, ins["inspector"], [])
    due = rnd.ends_on + timedelta(days=1)
    execute(session, ins["inspector"], rnd.id, COMMANDS["give_findings"],
            FindingsIn(findings="审批权力集中", items=[item(org, due, unit_id=org.transport.id)]))  # fmt: skip
    sweep_rectification(session, now + timedelta(days=(due - rnd.starts_on).days + 3))
    risks = {r.department_id: r for r in current_risks(session, now)}
    assert [r.code for r in risks[org.transport.id].reasons] == ["rectification"]
