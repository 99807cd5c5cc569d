"""Scale-out by simulation: one app + one worker against two apps + two workers, on PostgreSQL.

Usage: python bench/scaleout_pg.py [--seconds 60] [--clients 16] [--rounds 2]
Needs the scale clusters (bench/pgscale.py start, bench/gen_pg_scale.py N, bench/pgscale.py replica).
For each layout (alternating, `rounds` times, so that the shared machine's load falls on both alike): submissions
as fast as `clients` clients go for `seconds` (spread over the app servers' ports, as a reverse proxy would), then
wait until the workers have understood every one. Reported: intake per second, whole-pipeline throughput
(cases submitted and understood per second, from the first submission to the last understanding), and the CPU
time per case of each part (app servers, workers, PostgreSQL, the load generator itself): the figures the
extrapolation to more machines rests on.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from appstack import Stack, backlog, failed_jobs, load, max_case_id, primary  # noqa: E402
from loadgen import Meter, Request, bodies, drive, postmaster_pid  # noqa: E402
from pgscale import DEFAULT_ROOT  # noqa: E402


def one_layout(apps: int, workers: int, seconds: float, clients: int, subs: list[bytes]) -> str:
    conn = primary()
    stack = Stack(apps, workers)
    meter = Meter({"apps": [p.pid for p in stack.apps], "workers": [p.pid for p in stack.workers],
                   "postgres": [postmaster_pid(DEFAULT_ROOT / "primary")]})  # fmt: skip

    def pick(rng: random.Random) -> Request:
        return "submit", "POST", "/api/v1/cases", rng.choice(subs)

    try:
        asyncio.run(drive(stack.bases, pick, 3, concurrency=clients))  # warm-up
        while backlog(conn, 0)[1]:
            time.sleep(0.5)
        since = max_case_id(conn)
        before, cpu0 = meter.used(), time.process_time()
        t0 = time.perf_counter()
        stats = asyncio.run(drive(stack.bases, pick, seconds, concurrency=clients))
        intake = time.perf_counter() - t0
        while backlog(conn, since)[1] and time.perf_counter() - t0 < seconds + 600:
            time.sleep(0.2)
        total = time.perf_counter() - t0
        used = {k: v - before[k] for k, v in meter.used().items()}
        used["load generator"] = time.process_time() - cpu0
        n = backlog(conn, since)[0]
        per = ", ".join(f"{k} {1000 * v / max(1, n):.2f}" for k, v in used.items())
        return (f"{apps} app(s) + {workers} worker(s): {n} cases, {sum(stats.errors.values())} errors, intake "
                f"{n / intake:.0f}/s, pipeline {n / total:.0f}/s (all understood {total - intake:.1f}s after the "
                f"last submission), failed jobs {failed_jobs(conn)}; CPU ms per case: {per}; "
                f"{stats.summary()}; {load()}")  # fmt: skip
    finally:
        stack.stop()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    subs = bodies()
    for r in range(args.rounds):
        for apps, workers in ((1, 1), (2, 2)):
            print(
                f"round {r + 1}: " + one_layout(apps, workers, args.seconds, args.clients, subs), flush=True
            )


if __name__ == "__main__":
    main()
