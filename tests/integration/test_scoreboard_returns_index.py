"""The scoreboard's returns are read through a small partial index, not a scan of every event (issue 15)."""

from __future__ import annotations

from sqlalchemy import Engine, text

from minyi.cases.models import CaseEvent

RETURNS_QUERY = "SELECT case_id, data FROM case_events WHERE action = 'return'"


def test_return_events_are_found_through_the_partial_index(engine: Engine) -> None:
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SET enable_seqscan = off"))  # a tiny table would be scanned anyway
            plan = " ".join(r[0] for r in conn.execute(text("EXPLAIN " + RETURNS_QUERY)))
        else:
            plan = " ".join(str(r[-1]) for r in conn.execute(text("EXPLAIN QUERY PLAN " + RETURNS_QUERY)))
    assert "ix_case_events_returns" in plan
    assert any(i.name == "ix_case_events_returns" for i in CaseEvent.__table__.indexes)
