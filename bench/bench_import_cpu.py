"""`minyi import` in rows/s and CPU per row, beside the Core-insert writer and plain executemany, all in one run.

Usage: PYTHONPATH=src .venv/bin/python bench/bench_import_cpu.py [N] [DATABASE_URL]
Generates N hotline rows and imports them (--no-enrich) twice into fresh databases with the demo organisation:
once with the lean writer (COPY on PostgreSQL, tuple executemany on SQLite), once with the Core-insert writer it
replaced; then inserts the same N (title, body) pairs with one plain executemany into a bare table (the
reference). Without a URL it uses fresh SQLite files; with a PostgreSQL URL (an empty database it may fill) the
two imports run one after the other on it, the tables emptied between. CPU is this process's only (the
PostgreSQL server's is not counted), so on PostgreSQL the wall-clock rate is the figure.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, text

import minyi.models  # noqa: F401 - every table registered
from minyi.cases.events import insert_events
from minyi.cases.models import Case, CaseBand, CaseLink, Submitter
from minyi.cases.search import index_cases
from minyi.cases.store import Prepared
from minyi.db import make_engine, table_of
from minyi.demo.load import load_demo
from minyi.intake_import import importer
from minyi.intake_import.importer import import_file, read_rows
from minyi.migrate import upgrade


def core_writer(session: object, out: Prepared) -> None:
    """The writer before the lean path: Core executemany of dicts, per-value bind processing."""
    s: importer.Session = session  # type: ignore[assignment]
    for model, rows in ((Submitter, out.submitters), (Case, out.cases)):
        if rows:
            s.execute(insert(table_of(model)), rows)
    insert_events(s, out.events)
    for model, rows in ((CaseBand, out.bands), (CaseLink, out.links)):
        if rows:
            s.execute(insert(table_of(model)), rows)
    index_cases(s, out.index_rows())


def fresh(url: str | None, work: Path, name: str) -> Engine:
    engine = make_engine(url or f"sqlite:///{work / name}")
    if url:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade(engine)
    load_demo(engine, n_cases=0)
    return engine


def timed(engine: Engine, csv: Path, writer: Callable[..., None]) -> tuple[int, float, float]:
    importer.write_prepared = writer  # type: ignore[assignment]
    wall, cpu = time.perf_counter(), time.process_time()
    result = import_file(engine, csv, enrich=False)
    return result.imported, time.perf_counter() - wall, time.process_time() - cpu


def reference(url: str | None, work: Path, rows: list[tuple[str, str]]) -> tuple[float, float]:
    """Plain executemany of the (ref, time) pairs into a bare two-column table: sqlite3 itself, or psycopg."""
    if url:
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE ref_rows (id SERIAL PRIMARY KEY, a TEXT, b TEXT)"))
        raw: Any = engine.raw_connection()
    else:
        raw = sqlite3.connect(work / "ref.sqlite3")
        raw.execute("CREATE TABLE ref_rows (id INTEGER PRIMARY KEY, a TEXT, b TEXT)")
    wall, cpu = time.perf_counter(), time.process_time()
    cur = raw.cursor()
    mark = "%s" if url else "?"
    cur.executemany(f"INSERT INTO ref_rows (a, b) VALUES ({mark}, {mark})", rows)
    raw.commit()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    url = sys.argv[2] if len(sys.argv) > 2 else None
    work = Path(tempfile.mkdtemp(prefix="minyi-bench-import-"))
    csv = work / "hotline.csv"
    subprocess.run([sys.executable, str(Path(__file__).with_name("gen_hotline.py")), str(n), str(csv)], check=True,
                   capture_output=True)  # fmt: skip
    lean_writer = importer.write_prepared
    print(f"{n:,} rows on {'PostgreSQL' if url else 'SQLite'}; load average {os.getloadavg()}")
    figures = {}
    for name, writer in (("lean", lean_writer), ("core", core_writer)):
        engine = fresh(url, work, f"{name}.sqlite3")
        figures[name] = timed(engine, csv, writer)
        engine.dispose()
    rows = [(str(r[0]), str(r[1])) for r in list(read_rows(csv))[1:]]
    ref_wall, ref_cpu = reference(url, work, rows)
    for name, (done, wall, cpu) in figures.items():
        print(f"{name:>5} import: {done:,} rows, {done / wall:,.0f} rows/s wall, {cpu / done * 1e6:,.0f} µs CPU/row, "
              f"ratio to reference (wall) {done / wall / (len(rows) / ref_wall):.3f}")  # fmt: skip
    print(
        f"reference executemany: {len(rows) / ref_wall:,.0f} rows/s wall, {ref_cpu / len(rows) * 1e6:,.1f} µs CPU/row"
    )
    print(
        f"lean / core (wall): {figures['lean'][0] / figures['lean'][1] / (figures['core'][0] / figures['core'][1]):.2f}"
    )
    print(f"load average after {os.getloadavg()}")


if __name__ == "__main__":
    main()
