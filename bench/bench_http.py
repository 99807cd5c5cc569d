"""HTTP submission benchmark: wrk (a separate process) against `minyi serve`, on SQLite or PostgreSQL.

Usage: .venv/bin/python bench/bench_http.py [--db sqlite|postgresql] [--workers N] [--seconds S] [--connections C]
Prints submissions/s and latency percentiles beside the same server's throughput on a trivial endpoint.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def database(kind: str) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tempfile.mkdtemp()}/http.sqlite3"
        return
    from tests.support.pgserver import pg_cluster

    with pg_cluster() as url:
        yield url


def wrk(url: str, seconds: int, connections: int, script: str | None = None) -> dict[str, float]:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if script:
        cmd += ["-s", script]
    done = subprocess.run([*cmd, url], capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"wrk failed: {done.stdout}{done.stderr}")
    out = done.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]

    def pct(p: str) -> float:
        m = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out)
        if not m:
            return float("nan")
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": pct("50"), "p90": pct("90"), "p99": pct("99"),
            "non2xx": float(errors.group(1)) if errors else 0.0}  # fmt: skip


def write_bodies(path: Path) -> int:
    """One JSON submission per line from the real messages (../shared/data), or generated ones without them."""
    import csv
    import json

    from minyi.settings import get_settings

    source = get_settings().shared_data / "teddy2020" / "messages_unlabelled.csv"
    rows: list[dict[str, str]] = []
    if source.exists():
        with open(source, encoding="utf-8") as f:
            rows = [r for r in csv.DictReader(f) if r.get("detail")]
    if not rows:
        rows = [
            {"title": f"路灯不亮{i}", "detail": f"湖滨路{i}号门口的路灯坏了，请维修。"} for i in range(2000)
        ]
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            body = {"kind": "complaint", "channel": "hotline", "title": (r.get("title") or r["detail"][:30])[:200],
                    "body": r["detail"][:10_000], "region_code": "990102001"}  # fmt: skip
            f.write(json.dumps(body, ensure_ascii=False) + "\n")
    return len(rows)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seconds", type=int, default=15)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--understanding", choices=["inline", "deferred", "worker"], default="inline")
    ap.add_argument(
        "--with-worker", action="store_true", help="run `minyi enrich --follow` beside the server"
    )
    args = ap.parse_args()
    with database(args.db) as url:
        bodies = Path(tempfile.mkdtemp()) / "bodies.jsonl"
        count = write_bodies(bodies)
        os.environ["BODIES"] = str(bodies)  # read by bench/post_case.lua inside wrk
        env = {
            **os.environ,
            "MINYI_DATABASE_URL": url,
            "MINYI_ENV": "production",
            "MINYI_SECRET_KEY": "bench-secret-0123456789abcdef-0123456789abcdef",
            "MINYI_UNDERSTANDING": args.understanding,
            "MINYI_REPORT_WORKER": "0",  # no Chromium started with the server (the hourly report PDFs)
            "MINYI_PUBLIC_SUBMISSIONS_PER_HOUR": "0",  # wrk sends every submission from one address
        }
        minyi = (
            str(ROOT / ".venv/bin/minyi")
            if (ROOT / ".venv/bin/minyi").exists()
            else shutil.which("minyi") or "minyi"
        )
        subprocess.run([minyi, "db", "upgrade"], env=env, check=True, capture_output=True)
        subprocess.run([minyi, "demo", "--cases", "0"], env=env, check=True, capture_output=True)
        port = free_port()
        server = subprocess.Popen(
            [minyi, "serve", "--port", str(port), "--workers", str(args.workers)], env=env
        )
        worker = None
        if args.with_worker:
            worker = subprocess.Popen([minyi, "enrich", "--follow"], env=env, stdout=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        script = str(ROOT / "bench/post_case.lua")
        try:
            for _ in range(600):  # up to two minutes: start-up is slow on a loaded machine
                try:
                    urllib.request.urlopen(f"{base}/api/v1/health", timeout=1)
                    break
                except OSError:
                    time.sleep(0.2)
            wrk(f"{base}/api/v1/cases", 3, args.connections, script)  # warm-up
            post = wrk(f"{base}/api/v1/cases", args.seconds, args.connections, script)
            trivial = wrk(f"{base}/api/v1/health", args.seconds, args.connections)
            t0 = time.perf_counter()  # how long the understanding needs to catch up with the burst
            subprocess.run([minyi, "enrich"], env=env, check=True, capture_output=True)
            catch_up = time.perf_counter() - t0
        finally:
            server.terminate()
            server.wait(10)
            if worker is not None:
                worker.terminate()
                worker.wait(10)
    worker_note = " with a worker process beside it" if args.with_worker else ""
    print(f"{args.db}, {args.workers} worker(s), {args.connections} connections, {args.seconds}s, "
          f"{count} distinct real messages, understanding {args.understanding}{worker_note}:")  # fmt: skip
    print(f"  POST /api/v1/cases  {post['rps']:.0f} submissions/s  p50 {post['p50']:.1f} ms  p90 {post['p90']:.1f} ms"
          f"  p99 {post['p99']:.1f} ms  non-2xx {post['non2xx']:.0f}")  # fmt: skip
    print(f"  GET  /api/v1/health {trivial['rps']:.0f} requests/s    p50 {trivial['p50']:.1f} ms  "
          f"p99 {trivial['p99']:.1f} ms")  # fmt: skip
    print(f"  then `minyi enrich` understood what was still waiting in {catch_up:.1f}s")


if __name__ == "__main__":
    main()
