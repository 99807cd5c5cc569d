"""The scoreboard's households per region read the few group demands through a partial index, not every case
(issue 15: a scan of a million cases on each scoreboard view)."""

from __future__ import annotations

from sqlalchemy import Engine, text

from minyi.cases.models import Case

GROUP_QUERY = "SELECT region_code, households FROM cases WHERE households >= 2"


def test_group_demands_are_found_through_the_partial_index(engine: Engine) -> None:
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SET enable_seqscan = off"))  # a tiny table would be scanned anyway
            plan = " ".join(r[0] for r in conn.execute(text("EXPLAIN " + GROUP_QUERY)))
        else:
            plan = " ".join(str(r[-1]) for r in conn.execute(text("EXPLAIN QUERY PLAN " + GROUP_QUERY)))
    assert "ix_cases_group_demands" in plan
    assert any(i.name == "ix_cases_group_demands" for i in Case.__table__.indexes)
