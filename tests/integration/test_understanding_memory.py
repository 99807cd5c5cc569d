"""A long-running understanding worker keeps nothing per job it ran (issue 15, the worker's memory in the soak)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from minyi.db import reset_caches, session_factory
from minyi.understanding.worker import do_understand
from tests.support.factories import make_org, submit


def test_jobs_on_new_cases_compile_no_new_statements(
    engine: Engine, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every job names other cases; its statements must not (the ids written into the SQL made each job's
    statement a new entry of the engine's compiled cache: growth up to the cache's bound, and churn)."""
    monkeypatch.setenv("MINYI_UNDERSTANDING", "worker")  # the cases wait for the job, text unmasked
    reset_caches()
    make_org(session)
    body = "中山路88号门口的路灯坏了三天，晚上很黑，请尽快修理。"  # every case a repeat of the ones before
    ids = [submit(session, title=f"路灯不亮{i}", body=body).id for i in range(14)]
    factory = session_factory(engine)

    def job(chunk: list[int]) -> None:
        with factory() as s:
            assert do_understand(s, chunk) == len(chunk)

    job(ids[:2])
    job(ids[2:5])  # the first jobs compile what a job runs (repeat links, a batch of another size)
    compiled = engine._compiled_cache  # SQLAlchemy's per-engine LRU of compiled statements
    assert compiled is not None
    warm = len(compiled)
    for at in range(5, 14, 3):
        job(ids[at : at + 3])
    assert len(compiled) == warm
