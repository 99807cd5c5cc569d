"""The supervisor board's first view on a cold process: the board alone, and the hot-issue panel after it.

Usage: .venv/bin/python bench/bench_cold_board.py [--runs 3]
Each run is a fresh interpreter over the demo city (no module imported beforehand). "board" is what the
supervisor waits for now; "board + panel" is what the old board did in one request (it ranked the hot issues
inline), measured in the same run as the reference. Prints the load average beside the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import json, os, sys, time
os.environ.setdefault("MINYI_SECRET_KEY", "bench"); os.environ.setdefault("MINYI_ENV", "test")
from fastapi.testclient import TestClient
from minyi.app import create_app
from minyi.db import make_engine
from minyi.demo.load import DEMO_PASSWORD
warm = sys.argv[2] == "warm"
app = create_app(make_engine(sys.argv[1]))
if not warm:
    app.router.on_startup.clear()
with TestClient(app) as staff:
    page = staff.get("/staff/login").text
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    staff.post("/staff/login", data={"username": "supervisor", "password": DEMO_PASSWORD, "csrf_token": token})
    t0 = time.perf_counter(); assert staff.get("/staff/board").status_code == 200; board = time.perf_counter() - t0
    t1 = time.perf_counter(); assert staff.get("/staff/board/hot").status_code == 200; hot = time.perf_counter() - t1
print(json.dumps({"board_ms": round(board * 1000), "panel_ms": round(hot * 1000)}))
"""


def main() -> None:
    """Build the demo database once, then time fresh processes."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    os.environ.setdefault("MINYI_SECRET_KEY", "bench")
    os.environ.setdefault("MINYI_ENV", "test")
    from minyi.db import make_engine
    from minyi.demo.load import load_demo
    from minyi.migrate import upgrade

    url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='minyi-cold-')) / 'demo.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    load_demo(engine, n_cases=60, seed=3)
    engine.dispose()
    for run in range(args.runs):
        for mode in ("cold", "warm"):
            out = subprocess.run(
                [sys.executable, "-c", CHILD, url, mode], capture_output=True, text=True, check=True
            )
            r = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"run {run + 1} {mode:5} board {r['board_ms']:6d} ms   panel after it {r['panel_ms']:6d} ms   "
                  f"old board (both) {r['board_ms'] + r['panel_ms']:6d} ms   load {os.getloadavg()[0]:.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
