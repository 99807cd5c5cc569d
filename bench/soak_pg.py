"""Soak: mixed reads and writes at 80 % of the measured capacity, against the app on PostgreSQL with workers.

Usage: python bench/soak_pg.py [--minutes 10] [--apps 1] [--workers 1] [--writes 0.2] [--fraction 0.8]
Needs the scale clusters with data (bench/pgscale.py start, bench/gen_pg_scale.py N, bench/pgscale.py replica).
1. capacity: closed loop with 16 clients for 30 s over the same mix; 2. soak: open loop at `fraction` of it
for `minutes`. Every 10 s one line: requests and errors so far, late starts (the in-flight cap was full), the
resident memory of the app servers, the workers and PostgreSQL, and the job lag (cases still waiting for
understanding, and the oldest one's age). At the end: the time the workers need to drain what is left.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from appstack import Stack, backlog, failed_jobs, load, max_case_id, primary, public_sample  # noqa: E402
from loadgen import Meter, Stats, bodies, drive, mixed, postmaster_pid  # noqa: E402
from pgscale import DEFAULT_ROOT  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--apps", type=int, default=1)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--writes", type=float, default=0.2)
    ap.add_argument("--fraction", type=float, default=0.8)
    ap.add_argument("--capacity", type=float, default=None, help="skip the capacity run and use this rate")
    args = ap.parse_args()
    conn = primary()
    ids, topics = public_sample(conn)
    pick = mixed(args.writes, ids, topics, bodies())
    stack = Stack(args.apps, args.workers)
    meter = Meter({"apps": [p.pid for p in stack.apps], "workers": [p.pid for p in stack.workers],
                   "postgres": [postmaster_pid(DEFAULT_ROOT / "primary"), postmaster_pid(DEFAULT_ROOT / "replica")]})  # fmt: skip
    try:
        capacity = args.capacity
        if capacity is None:
            asyncio.run(drive(stack.bases, pick, 5, concurrency=16))  # warm-up
            t = time.perf_counter()
            cap = asyncio.run(drive(stack.bases, pick, 30, concurrency=16))
            capacity = cap.total() / (time.perf_counter() - t)
            print(f"capacity (16 clients, closed loop, 30 s): {capacity:.1f} requests/s, errors "
                  f"{sum(cap.errors.values())}; {cap.summary()}; {load()}", flush=True)  # fmt: skip
        rate = args.fraction * capacity
        since = max_case_id(conn)
        print(f"soak at {rate:.1f} requests/s ({args.fraction:.0%}), {args.writes:.0%} submissions, "
              f"{args.apps} app(s) + {args.workers} worker(s), {args.minutes} min", flush=True)  # fmt: skip
        print(
            "  t(s)  requests errors late | RSS MB apps workers postgres | submitted waiting oldest(s) | load"
        )

        def tick(at: float, stats: Stats) -> None:
            rss = meter.rss_mb()
            n, waiting, oldest = backlog(conn, since)
            print(f"  {at:4.0f} {stats.total():9d} {sum(stats.errors.values()):6d} {stats.late:4d} | "
                  f"{rss['apps']:6.0f} {rss['workers']:6.0f} {rss['postgres']:7.0f} | {n:6d} {waiting:6d} "
                  f"{oldest:6.1f} | {load()}", flush=True)  # fmt: skip

        before = meter.used()
        stats = asyncio.run(
            drive(stack.bases, pick, args.minutes * 60, rate=rate, concurrency=64, on_tick=tick)
        )
        t = time.perf_counter()
        while backlog(conn, since)[1] and time.perf_counter() - t < 300:
            time.sleep(1)
        drain = time.perf_counter() - t
        used = {k: v - before[k] for k, v in meter.used().items()}
        n = backlog(conn, since)[0]
        print(f"done: {stats.total()} requests, {sum(stats.errors.values())} errors, {stats.late} late; "
              f"{stats.summary()}")  # fmt: skip
        print(
            f"  after the load the workers drained the rest in {drain:.1f}s; failed jobs {failed_jobs(conn)}"
        )
        print("  CPU seconds during the soak: " + ", ".join(f"{k} {v:.0f}" for k, v in used.items())
              + "; per request: " + ", ".join(f"{k} {1000 * v / max(1, stats.total()):.1f} ms" for k, v in used.items())
              + f"; per submission ({n}) workers {1000 * used['workers'] / max(1, n):.1f} ms")  # fmt: skip
        for s in stats.error_samples:
            print("  error:", s)
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
