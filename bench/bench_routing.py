"""CPU of route matching alone: FastAPI's linear walk over every top-level route against the walk over the route
index's candidates (minyi.web.routing), for the requests the soak and the intake make, alternating, beside a whole
GET /api/v1/health through the app in the same run.

Usage: PYTHONPATH=src .venv/bin/python bench/bench_routing.py [--requests 5000] [--rounds 3]
The walk is the selection FastAPI's APIRouter.app makes (each route's `matches` until a full match); the
matched router's second walk in `handle` is the same in both and not counted here.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("MINYI_SECRET_KEY", "bench-secret-0123456789abcdef-0123456789abcdef")
os.environ.setdefault("MINYI_NOTIFY_WORKER", "false")
os.environ.setdefault("MINYI_REPORT_WORKER", "false")

REQUESTS = [("GET", "/api/v1/health"), ("POST", "/api/v1/cases"), ("GET", "/cases"), ("GET", "/cases/54"),
            ("GET", "/staff/cases/54"), ("GET", "/static/app.css")]  # fmt: skip


def walk(routes: list[Any], scope: dict[str, Any]) -> Any:
    from starlette.routing import Match

    for route in routes:
        if route.matches(scope)[0] == Match.FULL:
            return route
    return None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=5000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    from bench_page_cpu import cpu_per_request
    from minyi.app import create_app
    from minyi.db import make_engine
    from minyi.migrate import upgrade

    engine = make_engine(f"sqlite:///{tempfile.mkdtemp()}/routing.sqlite3")
    upgrade(engine)
    app = create_app(engine)
    index, routes = app.router.middleware_stack, app.router.routes
    asyncio.run(cpu_per_request(app, "/api/v1/health", 200))  # warm
    health = 0.0
    totals = {(r, on): 0.0 for r in REQUESTS for on in (False, True)}
    for _ in range(args.rounds):
        health += asyncio.run(cpu_per_request(app, "/api/v1/health", 200))
        for method, path in REQUESTS:
            for on in (False, True):
                scope = {"type": "http", "method": method, "path": path, "root_path": "", "headers": []}
                start = time.process_time()
                for _ in range(args.requests):
                    found = walk(index.candidates(scope) if on else routes, scope)
                totals[(method, path), on] += (time.process_time() - start) / args.requests
                assert found is not None, path
    ref = 1e6 * health / args.rounds
    print(f"load {' '.join(f'{x:.1f}' for x in os.getloadavg())}; route matching CPU per request, "
          f"{args.rounds} rounds of {args.requests}; a whole GET /api/v1/health {ref:.0f} µs")  # fmt: skip
    for method, path in REQUESTS:
        old, new = (1e6 * totals[(method, path), on] / args.rounds for on in (False, True))
        print(f"  {method:4} {path:22} linear {old:7.1f} µs -> index {new:6.1f} µs  (x{new / old:.2f}; "
              f"{old / ref:.2f} -> {new / ref:.2f} of health)")  # fmt: skip


if __name__ == "__main__":
    main()
