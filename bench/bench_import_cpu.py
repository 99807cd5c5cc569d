"""`minyi import` measured in CPU-seconds (steady on a shared machine), beside plain executemany of the same rows.

Usage: PYTHONPATH=src .venv/bin/python bench/bench_import_cpu.py [N]
Generates N hotline rows, imports them (--no-enrich) into a fresh migrated SQLite database with the demo
organisation, then inserts the same N (title, body) pairs with one executemany into a bare table (the reference).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import minyi.models  # noqa: F401 - every table registered
from minyi.db import make_engine
from minyi.demo.load import load_demo
from minyi.intake_import.importer import import_file, read_rows
from minyi.migrate import upgrade


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    work = Path(tempfile.mkdtemp(prefix="minyi-bench-import-"))
    csv = work / "hotline.csv"
    subprocess.run([sys.executable, str(Path(__file__).with_name("gen_hotline.py")), str(n), str(csv)], check=True,
                   capture_output=True)  # fmt: skip
    engine = make_engine(f"sqlite:///{work / 'bench.sqlite3'}")
    upgrade(engine)
    load_demo(engine, n_cases=0)
    t = time.process_time()
    result = import_file(engine, csv, enrich=False)
    cpu = time.process_time() - t
    rows = [(str(r[0]), str(r[1])) for r in list(read_rows(csv))[1:]]
    ref = sqlite3.connect(work / "ref.sqlite3")
    ref.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT)")
    t = time.process_time()
    ref.executemany("INSERT INTO t (a, b) VALUES (?, ?)", rows)
    ref.commit()
    ref_cpu = time.process_time() - t
    print(f"minyi import: {result.imported:,} rows, {result.imported / cpu:,.0f} rows per CPU-second")
    print(f"reference executemany: {len(rows) / ref_cpu:,.0f} rows per CPU-second; "
          f"ratio {result.imported / cpu / (len(rows) / ref_cpu):.3f}")  # fmt: skip


if __name__ == "__main__":
    main()
