"""The cases of the open-data package at scale: read by the primary key a range at a time (no scan of every public
case per range), and split across worker processes into the same bytes, still with nothing personal in them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.accounts.roles import Role
from minyi.cases import actions as act
from minyi.db import session_factory
from minyi.opendata import case_export
from minyi.opendata import export as exporter
from tests.integration.test_opendata_export import (
    CONFIDENTIAL_MARK,
    DIRTY,
    PRIVATE_MARK,
    SECRETS,
    _dirty_world,
)
from tests.support.factories import make_org, submit


def test_each_range_of_cases_is_read_by_the_primary_key(sqlite_engine: Engine, tmp_path: Path) -> None:
    """SQLite's planner took the visibility index for a WHERE on it and sorted every public case per read."""
    engine, session = sqlite_engine, session_factory(sqlite_engine)()
    org = make_org(session)
    for i in range(3):
        act.do_accept(session, submit(session, title=f"第{i}件", body="路灯不亮"), org.actor("intake"))
    reads: list[tuple[str, Any]] = []

    def seen(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if "FROM cases" in statement and "ORDER BY cases.id" in statement:
            reads.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", seen)
    try:
        exporter.export_package(session, tmp_path / "package")
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert reads
    with engine.connect() as conn:
        for statement, parameters in reads:
            plan = " ".join(r[3] for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters))
            assert "INTEGER PRIMARY KEY" in plan and "TEMP B-TREE" not in plan, plan


def test_an_export_split_across_workers_writes_the_same_bytes_with_nothing_personal(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _dirty_world(session)
    intake = Actor(Role.intake, "intake")
    for i in range(5):  # more public cases across the ranges, with the planted values in them
        contact = {"name": SECRETS["name"], "phone": SECRETS["other_mobile"]}
        act.do_accept(session, submit(session, title=f"第{i}件路灯", body=DIRTY, contact=contact), intake)
    whole = exporter.export_package(session, tmp_path / "whole", workers=1)
    monkeypatch.setattr(case_export, "PER_WORKER", 1)  # split even this small export
    split = exporter.export_package(session, tmp_path / "split", workers=2)
    assert split == whole and whole["cases"] == 7 and whole["history"] > 7
    for name in ("cases.csv", "history.csv", "cases.parquet", "history.parquet"):
        assert (tmp_path / "split" / name).read_bytes() == (tmp_path / "whole" / name).read_bytes(), name
    assert not list((tmp_path / "split").glob(".*.part"))  # the parts are removed
    text = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "split").glob("*.csv"))
    for parquet in ("cases", "history"):
        text += json.dumps(
            pq.read_table(tmp_path / "split" / f"{parquet}.parquet").to_pylist(),
            ensure_ascii=False,
            default=str,
        )
    for kind, value in SECRETS.items():
        assert value not in text, f"{kind} leaked into the split export"
    assert CONFIDENTIAL_MARK not in text and PRIVATE_MARK not in text and "【姓名】" in text
