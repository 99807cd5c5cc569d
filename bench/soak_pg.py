"""Soak: mixed reads and writes at 80 % of the measured capacity, against the app on PostgreSQL with workers.

Usage: python bench/soak_pg.py [--minutes 10] [--apps 1] [--workers 1] [--writes 0.2] [--fraction 0.8]
                               [--warmup 30] [--capacity-seconds 120] [--capacity RATE]
Needs the scale clusters with data (bench/pgscale.py start, bench/gen_pg_scale.py N, bench/pgscale.py replica).
1. capacity: closed loop with 16 clients over the same mix, `warmup` seconds unmeasured, then the sustained
rate over `capacity-seconds` (the served rate of each 10 s printed); 2. soak: open loop at `fraction` of it for
`minutes`. Every 10 s one line: requests, errors and late starts so far (a late start: the in-flight cap was
full), the interval's offered and served rates with its errors and late starts per minute, the resident memory
of the app servers, the workers and PostgreSQL, and the job lag (cases still waiting for understanding, and the
oldest one's age). At the end: the served rate against the offered one, and the time the workers need to drain
what is left. The client's pool closes idle connections before the server does; nothing is retried.
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
from loadgen import KEEPALIVE_EXPIRY, Meter, Pick, Stats, bodies, drive, mixed, postmaster_pid  # noqa: E402
from minyi.settings import get_settings  # noqa: E402
from pgscale import DEFAULT_ROOT  # noqa: E402


class Window:
    """Per-interval figures from the running totals: served and offered rates, errors and late starts per minute
    (a system that falls behind shows it here long before the totals do)."""

    def __init__(self) -> None:
        self.at, self.arrived, self.done, self.errors, self.late = 0.0, 0, 0, 0, 0
        self.rates: list[float] = []

    def step(self, at: float, stats: Stats) -> str:
        dt = max(at - self.at, 1e-9)
        errors = sum(stats.errors.values())
        arrived = stats.arrived or stats.sent  # the closed loop has no schedule: what it sent
        served, offered = (stats.total() - self.done) / dt, (arrived - self.arrived) / dt
        line = (f"{offered:6.1f} {served:6.1f} {60 * (errors - self.errors) / dt:6.1f} "
                f"{60 * (stats.late - self.late) / dt:6.0f}")  # fmt: skip
        self.rates.append(served)
        self.at, self.arrived, self.done = at, arrived, stats.total()
        self.errors, self.late = errors, stats.late
        return line


def measure_capacity(bases: list[str], pick: Pick, warmup: float, seconds: float) -> float:
    """The sustained rate of 16 closed-loop clients: a warm-up (caches, connections, the first checkpoint's
    start), then `seconds` measured with the served rate of every 10 s printed; the rate is the whole window's."""
    asyncio.run(drive(bases, pick, warmup, concurrency=16))
    print(f"capacity: {seconds:.0f} s, 16 clients, closed loop, after {warmup:.0f} s of warm-up", flush=True)
    print("  t(s)   sent/s served/s err/min late/min | load")
    window = Window()
    t = time.perf_counter()
    cap = asyncio.run(drive(bases, pick, seconds, concurrency=16,
                            on_tick=lambda at, st: print(f"  {at:4.0f} {window.step(at, st)} | {load()}", flush=True)))  # fmt: skip
    rate = cap.total() / (time.perf_counter() - t)
    rates = window.rates or [rate]
    print(f"capacity (sustained over {seconds:.0f} s): {rate:.1f} requests/s (10-s windows {min(rates):.1f}–"
          f"{max(rates):.1f}), errors {sum(cap.errors.values())}; {cap.summary()}; {load()}", flush=True)  # fmt: skip
    return rate


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--apps", type=int, default=1)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--writes", type=float, default=0.2)
    ap.add_argument("--fraction", type=float, default=0.8)
    ap.add_argument("--capacity", type=float, default=None, help="skip the capacity run and use this rate")
    ap.add_argument("--capacity-seconds", type=float, default=120, help="the capacity run's measured window")
    ap.add_argument(
        "--warmup", type=float, default=30, help="seconds of load before the capacity is measured"
    )
    args = ap.parse_args()
    server_keepalive = get_settings().server_keepalive_seconds
    if server_keepalive <= KEEPALIVE_EXPIRY:
        raise SystemExit(f"the server's keep-alive ({server_keepalive} s) must exceed the client pool's idle "
                         f"expiry ({KEEPALIVE_EXPIRY} s): else the server closes connections the client sends on")  # fmt: skip
    conn = primary()
    ids, topics = public_sample(conn)
    pick = mixed(args.writes, ids, topics, bodies())
    stack = Stack(args.apps, args.workers)
    meter = Meter({"apps": [p.pid for p in stack.apps], "workers": [p.pid for p in stack.workers],
                   "postgres": [postmaster_pid(DEFAULT_ROOT / "primary"), postmaster_pid(DEFAULT_ROOT / "replica")]})  # fmt: skip
    print(
        f"server keep-alive {server_keepalive} s, client pool idle expiry {KEEPALIVE_EXPIRY:g} s, no retries"
    )
    try:
        capacity = args.capacity or measure_capacity(stack.bases, pick, args.warmup, args.capacity_seconds)
        rate = args.fraction * capacity
        since = max_case_id(conn)
        print(f"soak at {rate:.1f} requests/s ({args.fraction:.0%}), {args.writes:.0%} submissions, "
              f"{args.apps} app(s) + {args.workers} worker(s), {args.minutes} min", flush=True)  # fmt: skip
        print("  t(s)  requests errors late | offered/s served/s err/min late/min | RSS MB apps workers postgres "
              "| submitted waiting oldest(s) | load")  # fmt: skip
        window = Window()

        def tick(at: float, stats: Stats) -> None:
            rss = meter.rss_mb()
            n, waiting, oldest = backlog(conn, since)
            print(f"  {at:4.0f} {stats.total():9d} {sum(stats.errors.values()):6d} {stats.late:4d} | "
                  f"{window.step(at, stats)} | {rss['apps']:6.0f} {rss['workers']:6.0f} {rss['postgres']:7.0f} | "
                  f"{n:6d} {waiting:6d} {oldest:6.1f} | {load()}", flush=True)  # fmt: skip

        before = meter.used()
        t = time.perf_counter()
        stats = asyncio.run(
            drive(stack.bases, pick, args.minutes * 60, rate=rate, concurrency=64, on_tick=tick)
        )
        elapsed = time.perf_counter() - t
        t = time.perf_counter()
        while backlog(conn, since)[1] and time.perf_counter() - t < 300:
            time.sleep(1)
        drain = time.perf_counter() - t
        used = {k: v - before[k] for k, v in meter.used().items()}
        n = backlog(conn, since)[0]
        slow = [r for r in window.rates if r < 0.95 * rate]
        print(f"done: {stats.total()} requests, {sum(stats.errors.values())} errors, {stats.late} late; "
              f"served {stats.total() / elapsed:.1f}/s of {rate:.1f}/s offered; 10-s windows served below 95 % of "
              f"the offered rate: {len(slow)} of {len(window.rates)}; {stats.summary()}")  # fmt: skip
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
