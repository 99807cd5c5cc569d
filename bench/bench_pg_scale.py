"""The issue-15 read and sweep targets on a large PostgreSQL database with a streaming replica.

Usage: python bench/bench_pg_scale.py [--only queue,public,search,scoreboard,sweep] [--n 300]
Needs `bench/pgscale.py start`, `bench/gen_pg_scale.py N` and `bench/pgscale.py replica` first.
- work queue: `list_queue` in-process on the primary (the biggest department's handlers), p50/p95;
- public list, case page and word search: HTTP GETs, one at a time, against `minyi serve` (one process) with
  MINYI_REPLICA_URL set; the replica's own statement counter shows that it served them;
- scoreboard cold: in-process on the replica with the cache emptied (the first call also pays cold buffers),
  and the first GET /scoreboard of a fresh server;
- `minyi sweep` over all open cases, twice (the second run must issue nothing), with its CPU time.
Every figure line carries the load average at that moment (the machine is shared).
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import resource
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from appstack import env, load, minyi, public_sample  # noqa: E402
from loadgen import WORDS as LOADGEN_WORDS  # noqa: E402
from pgscale import PRIMARY_PORT, REPLICA_PORT, url  # noqa: E402

WORDS = [*LOADGEN_WORDS, "噪音扰民"]


def pct(times: list[float]) -> str:
    q = statistics.quantiles(times, n=100)
    return f"p50 {q[49]:.1f} ms, p95 {q[94]:.1f} ms, p99 {q[98]:.1f} ms (n={len(times)})"


def replica_statements() -> int:
    import psycopg

    with psycopg.connect(url(REPLICA_PORT).replace("+psycopg", "")) as c:
        row = c.execute("SELECT sum(xact_commit + xact_rollback) FROM pg_stat_database").fetchone()
        return int(row[0]) if row else 0


def bench_queue(n: int) -> None:
    from sqlalchemy import func, select

    import minyi.models  # noqa: F401
    from minyi.accounts.actions import actor_of
    from minyi.accounts.models import User
    from minyi.cases.models import Case
    from minyi.cases.queries import QueueFilter, list_queue
    from minyi.db import make_engine, session_factory

    engine = make_engine(url(PRIMARY_PORT))
    with session_factory(engine)() as s:
        dept = s.execute(select(Case.department_id, func.count()).where(Case.status != "closed")
                         .group_by(Case.department_id).order_by(func.count().desc()).limit(1)).one()  # fmt: skip
        handlers = list(s.scalars(select(User).where(User.role == "handler", User.department_id == dept[0])))
        times = []
        for i in range(n):  # the same-run reference: one primary-key read through the same session
            t = time.perf_counter()
            s.execute(select(Case.id, Case.status).where(Case.id == 1 + i * 997)).all()
            times.append((time.perf_counter() - t) * 1000)
            s.rollback()
        print(f"reference, one case read by its id: {pct(times)}; {load()}", flush=True)
        for label, count in (("with its total (capped)", True), ("first page only", False)):
            times = []
            for i in range(n):
                actor = actor_of(handlers[i % len(handlers)])
                t = time.perf_counter()
                list_queue(s, actor, QueueFilter(queue="mine", per_page=20), count=count)
                times.append((time.perf_counter() - t) * 1000)
                s.rollback()
            print(f"work queue of department {dept[0]} ({dept[1]:,} cases not closed), {label}: {pct(times)}; "
                  f"{load()}", flush=True)  # fmt: skip
    engine.dispose()


class Server:
    """`minyi serve` on the primary with the replica for public reads."""

    def __init__(self, port: int = 0) -> None:
        if not port:  # a free port: another bench's server on a fixed one would answer in its place
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                port = probe.getsockname()[1]
        self.port = port
        self.proc = subprocess.Popen([*minyi("serve", "--port", str(port), "--workers", "1")], env=env())
        for _ in range(600):
            try:
                self.get("/api/v1/health")
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("server did not start")

    def get(self, path: str) -> tuple[int, float]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        t = time.perf_counter()
        conn.request("GET", path)
        resp = conn.getresponse()
        resp.read()
        conn.close()
        return resp.status, (time.perf_counter() - t) * 1000

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def timed(server: Server, paths: list[str]) -> list[float]:
    times, bad = [], 0
    for p in paths:
        status, ms = server.get(p)
        bad += status != 200
        times.append(ms)
    if bad:
        print(f"  ({bad} answers were not 200)")
    return times


def bench_public(n: int, only: set[str]) -> None:
    import psycopg

    rng = random.Random(1)
    with psycopg.connect(url(REPLICA_PORT).replace("+psycopg", "")) as c:
        ids, topics = public_sample(c)
    server = Server()
    try:
        before = replica_statements()
        if "scoreboard-http" in only:
            status, ms = server.get("/scoreboard")
            print(f"GET /scoreboard, first request of a fresh server (cache empty): {ms:.0f} ms ({status}); "
                  f"{load()}", flush=True)  # fmt: skip
        if "public" in only:
            timed(server, ["/cases", f"/cases/{ids[0]}"] * 5)  # warm the process
            print(f"reference, GET /api/v1/health: {pct(timed(server, ['/api/v1/health'] * n))}; {load()}")
            print(f"GET /cases (first page, newest first): {pct(timed(server, ['/cases'] * n))}; {load()}")
            pages = [f"/cases?page={rng.randint(2, 50)}" for _ in range(n)]
            print(f"GET /cases?page=2..50: {pct(timed(server, pages))}; {load()}")
            filt = [f"/cases?topic={rng.choice(topics)}" for _ in range(n)]
            print(f"GET /cases?topic=(one topic): {pct(timed(server, filt))}; {load()}")
            cases = [f"/cases/{rng.choice(ids)}" for _ in range(n)]
            print(f"GET /cases/ID (case page, random public cases): {pct(timed(server, cases))}; {load()}",
                  flush=True)  # fmt: skip
        if "search" in only:
            for word in WORDS:
                q = urllib.parse.quote(word)
                print(f"GET /cases?q={word}: {pct(timed(server, [f'/cases?q={q}'] * max(20, n // 10)))}; {load()}",
                      flush=True)  # fmt: skip
            mixed = [f"/cases?q={urllib.parse.quote(rng.choice(WORDS))}" for _ in range(n)]
            print(f"GET /cases?q=(mixed words): {pct(timed(server, mixed))}; {load()}", flush=True)
        print(f"the replica ran {replica_statements() - before:,} transactions meanwhile")
    finally:
        server.stop()


def bench_scoreboard() -> None:
    from minyi.db import make_engine, session_factory
    from minyi.deadlines.clock import calendar
    from minyi.portal import queries

    engine = make_engine(url(REPLICA_PORT))
    for i in range(3):
        queries._CACHE.clear()
        with session_factory(engine)() as s:
            t = time.perf_counter()
            cpu = time.process_time()
            rows = queries.scoreboard(s, calendar(s))
            print(f"scoreboard in-process on the replica, cache emptied, run {i + 1}: "
                  f"{time.perf_counter() - t:.2f}s wall, {time.process_time() - cpu:.2f}s CPU of this process, "
                  f"{sum(r.received for r in rows):,} cases; {load()}", flush=True)  # fmt: skip
    engine.dispose()


def bench_sweep() -> None:
    import psycopg

    with psycopg.connect(url(PRIMARY_PORT).replace("+psycopg", "")) as c:
        open_cases = c.execute(
            "SELECT count(*) FROM cases WHERE status NOT IN ('closed', 'declined', 'withdrawn', 'merged')"
        ).fetchone()[0]  # type: ignore[index]
    for run in (1, 2):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        done = subprocess.run(minyi("sweep"), env=env(), capture_output=True, text=True, check=True)
        wall = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        report = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"minyi sweep run {run} over {open_cases:,} open cases: {wall:.1f}s wall, {cpu:.1f}s CPU of the "
              f"process; examined {report['examined']}, issued {report['issued']}, closed unevaluated "
              f"{report['closed_unevaluated']}; {load()}", flush=True)  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="queue,public,search,scoreboard,scoreboard-http,sweep")
    ap.add_argument("--n", type=int, default=300)
    args = ap.parse_args()
    only = set(args.only.split(","))
    import psycopg

    with psycopg.connect(url(PRIMARY_PORT).replace("+psycopg", "")) as c:
        n = c.execute("SELECT count(*) FROM cases").fetchone()[0]  # type: ignore[index]
        size = c.execute("SELECT pg_size_pretty(pg_database_size('postgres'))").fetchone()[0]  # type: ignore[index]
    print(f"{n:,} cases, database {size}; {load()}", flush=True)
    if "queue" in only:
        bench_queue(args.n)
    if only & {"public", "search", "scoreboard-http"}:
        bench_public(args.n, only)
    if "scoreboard" in only:
        bench_scoreboard()
    if "sweep" in only:
        bench_sweep()


if __name__ == "__main__":
    main()
