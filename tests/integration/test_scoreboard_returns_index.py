"""The scoreboard reads its few rows through small partial indexes, not a scan of every row (issue 15): the returns
(退回) among the events, and the group demands (联名) among the cases for the households per region."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text

from minyi.cases.models import Case, CaseEvent

PARTIAL_INDEXES = [
    ("ix_case_events_returns", CaseEvent, "SELECT case_id, data FROM case_events WHERE action = 'return'"),
    ("ix_cases_group_demands", Case, "SELECT region_code, households FROM cases WHERE households >= 2"),
]


@pytest.mark.parametrize(("index", "model", "query"), PARTIAL_INDEXES, ids=[i[0] for i in PARTIAL_INDEXES])
def test_the_scoreboards_rows_are_found_through_their_partial_index(
    engine: Engine, index: str, model: type, query: str
) -> None:
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SET enable_seqscan = off"))  # a tiny table would be scanned anyway
            plan = " ".join(r[0] for r in conn.execute(text("EXPLAIN " + query)))
        else:
            plan = " ".join(str(r[-1]) for r in conn.execute(text("EXPLAIN QUERY PLAN " + query)))
    assert index in plan
    assert any(i.name == index for i in model.__table__.indexes)  # type: ignore[attr-defined]
