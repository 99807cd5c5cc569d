"""The suite's cheap emptying of PostgreSQL between tests leaves what TRUNCATE ... RESTART IDENTITY CASCADE left:
the tables empty, those referencing them too, the sequences back at their start, and other tables untouched."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select, text

from minyi.db import Base, make_engine, session_factory
from minyi.understanding import jobs
from tests.support.factories import make_org, submit
from tests.support.pgreset import empty_tables

pytestmark = pytest.mark.postgres


def _counts(engine: Engine, names: list[str]) -> dict[str, int]:
    with engine.connect() as conn:
        return {n: conn.scalar(text(f'SELECT count(*) FROM "{n}"')) or 0 for n in names}


def _fill(engine: Engine) -> int:
    """An organisation, a case and a queued job without its case; the case's id."""
    with session_factory(engine)() as s:
        make_org(s)
        case_id = submit(s, title="路灯不亮", body="东区中山路的路灯坏了一周。").id
    with engine.begin() as conn:
        conn.execute(jobs.DEFER, {"queue": jobs.QUEUE, "task": jobs.TASK, "args": '{"case_ids": [0]}'})
    return case_id


def test_emptying_the_models_tables_restarts_their_ids_and_leaves_the_job_queue(pg_url: str) -> None:
    engine = make_engine(pg_url)
    models = [t.name for t in Base.metadata.sorted_tables]
    empty_tables(engine)
    first = _fill(engine)
    assert sum(_counts(engine, models).values()) > 10
    with session_factory(engine)() as s:
        assert submit(s).id > first
    empty_tables(engine, ["cases"])  # and every table whose foreign keys point at cases, as CASCADE does
    counts = _counts(engine, ["cases", "case_events", "users", "procrastinate_jobs"])
    assert counts["cases"] == counts["case_events"] == 0 and counts["users"] > 0
    empty_tables(engine, models)
    assert set(_counts(engine, models).values()) == {0}
    assert (
        _counts(engine, ["procrastinate_jobs"])
        == {"procrastinate_jobs": counts["procrastinate_jobs"]}
        != {"procrastinate_jobs": 0}
    )
    assert _fill(engine) == first  # the ids start again where they started
    empty_tables(engine)
    with session_factory(engine)() as s:
        assert s.scalar(select(func.count()).select_from(text("procrastinate_jobs"))) == 0
    engine.dispose()
