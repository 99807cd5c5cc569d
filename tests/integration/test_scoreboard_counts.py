"""The public scoreboard counts a return against the department that returned, which still received the case."""

from __future__ import annotations

from sqlalchemy import Engine

from minyi.cases import actions as act
from minyi.db import session_factory
from minyi.deadlines.clock import calendar
from minyi.portal import queries
from tests.support.factories import make_org, submit


def test_a_returned_case_counts_as_received_and_returned_by_its_department(engine: Engine) -> None:
    queries._CACHE.clear()
    with session_factory(engine)() as s:
        org = make_org(s)
        intake = org.actor("intake")
        case = submit(s)
        act.do_accept(s, case, intake)
        act.do_assign(s, case, intake, department_id=org.housing.id)
        act.do_return(s, case, org.actor("housing-handler"), reason="不属于本局职责，应由交通局办理")
        act.do_assign(s, case, intake, department_id=org.transport.id)
        rows = {r.name: r for r in queries.scoreboard(s, calendar(s))}
    queries._CACHE.clear()
    assert (rows["住建局"].received, rows["住建局"].returned) == (1, 1)
    assert (rows["交通局"].received, rows["交通局"].returned) == (1, 0)
