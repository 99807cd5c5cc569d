"""`minyi import` in CPU per row: the lean rows (intake_import/fast.py) against `prepare_cases` + the bulk writer,
alternating in one run, beside a plain executemany of the same number of rows (the same-run reference).

Usage: PYTHONPATH=src .venv/bin/python bench/bench_import_cpu.py [N] [DATABASE_URL] [--rounds R] [--with-reports]
       [--workers W]
Generates N hotline rows (cases only unless --with-reports: then a fifth are misconduct reports, which become
sealed reports, each with its password hash) and imports them (`--no-enrich`) into one fresh database with the
demo organisation, R rounds of both paths in alternating order, each import under its own source so that every
row is new. Without a URL it uses a fresh SQLite file; with a PostgreSQL URL (an empty database it may fill, on
this machine) the server's CPU for the import's connection is read from /proc and counted too. With
--workers W > 1 a third import, the lean rows with W worker processes reading and checking the rows, joins the
rotation; its CPU is the whole process tree's (the workers are the importer's children, counted once joined).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, text

import minyi.models  # noqa: F401 - every table registered
from minyi.db import make_engine
from minyi.demo.load import load_demo
from minyi.intake_import.importer import import_file, read_rows
from minyi.migrate import upgrade

TICK = os.sysconf("SC_CLK_TCK")


def fresh(url: str | None, work: Path) -> Engine:
    engine = make_engine(url or f"sqlite:///{work / 'bench.sqlite3'}")
    if url:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade(engine)
    load_demo(engine, n_cases=0)
    return engine


class ServerCpu:
    """CPU seconds of the PostgreSQL backends this engine's connections use (same machine: /proc)."""

    def __init__(self, engine: Engine) -> None:
        self.pids: set[int] = set()
        if engine.dialect.name == "postgresql":
            event.listen(engine, "connect", self._connect)

    def _connect(self, dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("SELECT pg_backend_pid()")
        self.pids.add(cur.fetchone()[0])
        cur.close()

    def seconds(self) -> float:
        total = 0.0
        for pid in self.pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / TICK  # utime, stime
        return total


def tree_cpu() -> float:
    """CPU seconds of this process and of its children that have ended (the import's workers)."""
    done = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + done.ru_utime + done.ru_stime


def timed(
    engine: Engine, server: ServerCpu, csv: Path, source: str, lean: bool, workers: int = 1
) -> tuple[int, float, float, float]:
    """Rows, wall seconds, this process tree's CPU seconds, the server's CPU seconds."""
    wall, cpu, srv = time.perf_counter(), tree_cpu(), server.seconds()
    result = import_file(engine, csv, enrich=False, source=source, lean=lean, workers=workers)
    assert result.error_count == 0 and result.imported == result.rows, result.errors[:3]
    return result.rows, time.perf_counter() - wall, tree_cpu() - cpu, server.seconds() - srv


def reference(url: str | None, work: Path, rows: list[tuple[str, str]]) -> tuple[float, float]:
    """Plain executemany of (ref, time) pairs into a bare two-column table: sqlite3 itself, or psycopg."""
    if url:
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.execute(
                text(
                    "DROP TABLE IF EXISTS ref_rows; CREATE TABLE ref_rows (id SERIAL PRIMARY KEY, a TEXT, b TEXT)"
                )
            )
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
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=20_000)
    ap.add_argument("url", nargs="?")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--with-reports", action="store_true")
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="minyi-bench-import-", suffix=f"-{os.getpid()}"))
    csv = work / "hotline.csv"
    gen = [sys.executable, str(Path(__file__).with_name("gen_hotline.py")), str(args.n), str(csv)]
    subprocess.run(gen + ([] if args.with_reports else ["--cases-only"]), check=True, capture_output=True)
    print(f"{args.n:,} rows on {'PostgreSQL' if args.url else 'SQLite'}; load average {os.getloadavg()}")
    engine = fresh(args.url, work)
    engine.dispose()  # every connection from here on is a new one, so its server process is known
    server = ServerCpu(engine)
    paths = {"lean": (True, 1), "prepared": (False, 1)}
    if args.workers > 1:
        paths["pool"] = (True, args.workers)
    figures: dict[str, list[tuple[int, float, float, float]]] = {name: [] for name in paths}
    for r in range(args.rounds):
        order = list(paths) if r % 2 == 0 else list(reversed(paths))
        for name in order:
            figures[name].append(timed(engine, server, csv, f"{name}{r}", *paths[name]))
    engine.dispose()
    rows = [(str(r[0]), str(r[1])) for r in list(read_rows(csv))[1:]]
    ref_wall, ref_cpu = reference(args.url, work, rows)
    ref_rate = len(rows) / ref_wall
    cpu_of = {}
    for name, runs in figures.items():
        done = sum(r[0] for r in runs)
        wall, own, srv = (sum(r[i] for r in runs) for i in (1, 2, 3))
        cpu_of[name] = (own + srv) / done
        print(f"{name:>8} import: {done:,} rows in {len(runs)} runs, {done / wall:,.0f} rows/s wall, "
              f"{cpu_of[name] * 1e6:,.1f} µs CPU/row = {own / done * 1e6:,.1f} here + {srv / done * 1e6:,.1f} in the "
              f"server ({1 / cpu_of[name]:,.0f} rows per CPU-second), ratio to reference (wall) "
              f"{done / wall / ref_rate:.3f}")  # fmt: skip
    print(f"reference executemany: {ref_rate:,.0f} rows/s wall, {ref_cpu / len(rows) * 1e6:,.1f} µs CPU/row")
    print(f"prepared / lean (CPU per row): {cpu_of['prepared'] / cpu_of['lean']:.2f}")
    if "pool" in figures:
        print(f"pool ({args.workers} workers) / lean (CPU per row): {cpu_of['pool'] / cpu_of['lean']:.2f}")
    print(f"load average after {os.getloadavg()}")


if __name__ == "__main__":
    try:
        main()
    finally:  # the generated file and the SQLite databases
        for folder in Path(tempfile.gettempdir()).glob(f"minyi-bench-import-*-{os.getpid()}"):
            shutil.rmtree(folder, ignore_errors=True)
