"""Bulk inserts near the hardware (COPY on PostgreSQL, driver executemany on SQLite) store what the ORM would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from minyi.bulk import bulk_insert
from minyi.cases.models import CaseEvent, Submitter
from minyi.db import begin_write, table_of
from tests.support.factories import make_org, submit


def test_rows_go_in_without_the_orm_and_read_back_alike(
    engine: Engine, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_org(session)
    case = submit(session)
    begin_write(session)
    monkeypatch.setattr(Session, "execute", lambda *a, **k: pytest.fail("took the per-value path"))
    at = datetime(2026, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=8)))
    bulk_insert(
        session, table_of(Submitter), [{"id": 900 + i, "name": f"张{i}", "phone": None} for i in range(3)]
    )
    bulk_insert(session, table_of(CaseEvent), [{
        "case_id": case.id, "seq": 99, "at": at, "actor_id": None, "actor_label": "测试", "actor_role": "system",
        "action": "note", "from_status": None, "to_status": None, "note": None, "hash": "h", "prev_hash": "p",
        "data": {"词": ["一", 2]},
    }])  # fmt: skip
    monkeypatch.undo()
    session.commit()
    people = session.scalars(select(Submitter).where(Submitter.id >= 900).order_by(Submitter.id)).all()
    assert [p.name for p in people] == ["张0", "张1", "张2"]
    assert all(p.created_at.tzinfo is not None for p in people)  # the Python-side default, filled in
    ev = session.scalar(select(CaseEvent).where(CaseEvent.seq == 99))
    assert (
        ev is not None and ev.at == at.astimezone(UTC) and ev.data == {"词": ["一", 2]} and ev.public is True
    )
