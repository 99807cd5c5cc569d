"""Server CPU per public page, in process: the soak's reads (case page, list pages, word search) beside the trivial
endpoint in the same run, on a SQLite database of a few thousand cases.

Usage: PYTHONPATH=src .venv/bin/python bench/bench_page_cpu.py [--cases 3000] [--requests 200] [--rounds 3]
       [--profile PATH] [--db FILE] [--routing-ab]
Each page is requested through the ASGI app (middleware, routing, the page, rendering; no network), `requests`
times per round, rounds alternating over the pages; the figure is the process's CPU per request
(`time.process_time`, threads included) and its ratio to GET /api/v1/health. `--profile PATH` prints where one
page's CPU goes (cProfile with the CPU clock). `--db FILE` keeps the built database for the next run (to compare
two source trees on the same data: PYTHONPATH=/old/src then PYTHONPATH=src, alternating). `--routing-ab` runs each
page alternately through FastAPI's linear route walk and minyi.web.routing's index, and prints both.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("MINYI_SECRET_KEY", "bench-secret-0123456789abcdef-0123456789abcdef")
os.environ.setdefault("MINYI_ENV", "production")
os.environ.setdefault("MINYI_UNDERSTANDING", "worker")
os.environ.setdefault("MINYI_LOG_LEVEL", "WARNING")
os.environ.setdefault("MINYI_NOTIFY_WORKER", "false")
os.environ.setdefault("MINYI_REPORT_WORKER", "false")


def scope(path: str) -> dict[str, Any]:
    raw, _, query = path.partition("?")
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
            "path": raw, "raw_path": raw.encode(), "query_string": query.encode(), "root_path": "",
            "headers": [(b"host", b"bench"), (b"accept-language", b"zh-CN")],
            "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}  # fmt: skip


async def call(app: Any, path: str) -> int:
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope(path), receive, send)
    return status


async def cpu_per_request(app: Any, path: str, n: int) -> float:
    start = time.process_time()
    for _ in range(n):
        status = await call(app, path)
        assert status == 200, (path, status)
    return (time.process_time() - start) / n


def build(target: Path, cases: int) -> None:
    from bench_pages import clone_cases
    from minyi.accounts.actor import SYSTEM
    from minyi.cases.search import reindex
    from minyi.db import make_engine, session_factory
    from minyi.demo.load import load_demo
    from minyi.migrate import upgrade
    from minyi.uow import write

    engine = make_engine(f"sqlite:///{target}")
    upgrade(engine)
    load_demo(engine, n_cases=60, seed=3)
    clone_cases(engine, cases)
    with session_factory(engine)() as s, write(s, SYSTEM) as tx:  # clones bypass intake: index them
        tx.record("search.reindex", "search_index", None, {"cases": reindex(s)})
    engine.dispose()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=3000)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--profile", default=None, help="print where this page's CPU goes")
    ap.add_argument("--db", default=None, help="build once into this file and reuse it")
    ap.add_argument("--routing-ab", action="store_true", help="alternate: linear route walk, route index")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="minyi-pagecpu-"))
    db = Path(args.db) if args.db else folder / "pages.sqlite3"
    if not db.exists():
        build(db, args.cases)
    work = folder / "run.sqlite3"
    shutil.copy(db, work)  # each run reads its own copy
    from sqlalchemy import select

    from minyi.app import create_app
    from minyi.cases.models import Case
    from minyi.db import make_engine, session_factory

    engine = make_engine(f"sqlite:///{work}")
    with session_factory(engine)() as s:
        case_id = s.scalar(
            select(Case.id).where(Case.visibility == "public", Case.status == "closed").limit(1)
        )
        topic = s.scalar(select(Case.topic_code).where(Case.topic_code.is_not(None)).limit(1))
    app = create_app(engine)
    pages = ["/api/v1/health", f"/cases/{case_id}", "/cases", "/cases?page=5", f"/cases?topic={topic}",
             "/cases?q=%E8%B7%AF%E7%81%AF", "/cases?q=%E8%B7%AF%E7%81%AF%E4%B8%8D%E4%BA%AE"]  # fmt: skip
    for p in pages:  # warm: caches, compiled statements, templates
        asyncio.run(cpu_per_request(app, p, 5))
    if args.profile:
        import anyio.to_thread

        async def inline(func: Any, *a: Any, **_kw: Any) -> Any:  # the route's thread in the profiled one
            return func(*a)

        anyio.to_thread.run_sync = inline  # type: ignore[assignment]
        prof = cProfile.Profile(time.process_time)
        prof.enable()
        asyncio.run(cpu_per_request(app, args.profile, args.requests))
        prof.disable()
        if os.environ.get("KEEP_PROFILE"):  # a file for pstats' callers/callees
            prof.dump_stats(os.environ["KEEP_PROFILE"])
        pstats.Stats(prof).sort_stats("cumulative").print_stats(45)
        pstats.Stats(prof).sort_stats("tottime").print_stats(30)
        return
    if args.routing_ab:
        routing_ab(app, pages, args.requests, args.rounds)
        shutil.rmtree(folder, ignore_errors=True)
        return
    totals: dict[str, float] = dict.fromkeys(pages, 0.0)
    for _ in range(args.rounds):
        for p in pages:
            totals[p] += asyncio.run(cpu_per_request(app, p, args.requests))
    ref = totals[pages[0]] / args.rounds
    print(f"load {' '.join(f'{x:.1f}' for x in os.getloadavg())}; CPU per request, {args.rounds} rounds of "
          f"{args.requests}")  # fmt: skip
    for p in pages:
        ms = 1000 * totals[p] / args.rounds
        print(f"  {p[:48]:48} {ms:7.2f} ms  (x{ms / (1000 * ref):5.1f} health)")
    shutil.rmtree(folder, ignore_errors=True)


def routing_ab(app: Any, pages: list[str], n: int, rounds: int) -> None:
    """Each page through FastAPI's linear walk and through the route index, alternating request batches."""
    index, linear = app.router.middleware_stack, app.router.app
    totals = {(p, on): 0.0 for p in pages for on in (False, True)}
    for _ in range(rounds):
        for p in pages:
            for on in (False, True):
                app.router.middleware_stack = index if on else linear
                totals[p, on] += asyncio.run(cpu_per_request(app, p, n))
    app.router.middleware_stack = index
    print(f"load {' '.join(f'{x:.1f}' for x in os.getloadavg())}; CPU per request, {rounds} rounds of {n}, "
          f"linear walk -> route index")  # fmt: skip
    for p in pages:
        old, new = (1000 * totals[p, on] / rounds for on in (False, True))
        print(f"  {p[:48]:48} {old:7.3f} -> {new:7.3f} ms  (-{old - new:.3f} ms, x{new / old:.2f})")


if __name__ == "__main__":
    main()
