"""`minyi import --workers N`: rows read and checked in worker processes come back in file order, with the same
errors on the same lines and the same cases as one process, and the pool reads only a bounded way ahead."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from minyi.cases.models import Case
from minyi.intake_import import pool
from minyi.intake_import.importer import import_file
from minyi.intake_import.rows import ImportRow, RowError
from tests.support.factories import make_org


def _export(path: Path) -> None:
    rows: list[list[str]] = [["工单编号", "来电时间", "诉求内容", "所属区域"]]
    for i in range(41):
        when = "" if i % 7 == 3 else f"2026/03/{1 + i % 28:02d} 09:{i % 60:02d}:00"
        text = f"第{i}号路灯不亮\n第二行" if i % 5 == 0 else f"第{i}号噪音"  # a cell over two lines
        rows.append([f"P{i:03d}", when, text, "火星区" if i == 40 else "东区"])
    rows.append(["P001", "2026/03/02 09:01:00", "重复的工单", "东区"])  # a duplicate in the file
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)


def test_workers_import_what_one_process_imports_in_file_order(
    engine: Engine, session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_org(session)
    session.rollback()
    path = tmp_path / "export.csv"
    _export(path)
    monkeypatch.setattr(pool, "CHUNK", 4)  # many chunks in flight, finished in any order by the workers
    alone = import_file(engine, path, source="alone", enrich=False, batch_size=5, workers=1)
    pooled = import_file(engine, path, source="pooled", enrich=False, batch_size=5, workers=2)
    assert (pooled.rows, pooled.imported, pooled.duplicates) == (alone.rows, alone.imported, alone.duplicates)
    assert pooled.errors == alone.errors
    assert [e.row for e in pooled.errors] == [5, 12, 19, 26, 33, 40, 42]  # header is line 1: row i is i + 2
    assert "unknown region" in pooled.errors[-1].reason

    def refs(source: str) -> list[str | None]:
        return list(
            session.scalars(select(Case.external_ref).where(Case.external_source == source).order_by(Case.id))
        )

    assert refs("pooled") == refs("alone") and len(refs("alone")) == alone.imported == 34
    again = import_file(engine, path, source="pooled", enrich=False, workers=2)
    assert (again.imported, again.duplicates) == (0, 35)


def test_the_pool_reads_a_bounded_way_ahead_of_what_it_hands_back() -> None:
    read = 0

    def rows() -> Iterator[list[Any]]:
        nonlocal read
        for i in range(5000):
            read += 1
            yield [f"R{i}", "2026/03/02 09:15:00", "路灯不亮"]

    lookups = SimpleNamespace(region_codes=set(), region_by_name={}, dept_by_name={})
    columns = {"ref": 0, "time": 1, "text": 2}
    ahead = 0
    for n, (line, row) in enumerate(pool.parse_rows(rows(), columns, lookups, workers=2)):
        assert line == n + 2 and isinstance(row, ImportRow) and not isinstance(row, RowError)
        assert row.ref == f"R{n}"
        ahead = max(ahead, read - n)
    assert ahead <= (pool.AHEAD * 2 + 1) * pool.CHUNK
