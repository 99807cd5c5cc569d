"""Server CPU per request without the network: the ASGI app called in-process (the whole middleware stack,
routing, validation, the unit of work, SQLite), for POST /api/v1/cases beside GET /api/v1/health in the same run.

Usage: PYTHONPATH=src .venv/bin/python bench/bench_asgi.py [--requests N] [--rounds R]
       [--understanding inline --concurrency C]  (inline: micro-batches against one message a model call)
       [--limit-ab]  (rounds alternately without and with the per-address limit on new demands)
       [--routing-ab]  (rounds alternately with FastAPI's linear route walk and with minyi.web.routing's index)
Prints microseconds of CPU per request for each (process time, threads included), their ratio, and the load average (the machine is shared: compare
ratios, and runs made back to back). Understanding is left to the worker (MINYI_UNDERSTANDING=worker).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


# one address per request, as citizens send: the per-address limit admits each
_SENDERS = iter(range(1, 2**30))


def _scope(method: str, path: str, body: bytes = b"") -> dict[str, Any]:
    n = next(_SENDERS)
    headers = [(b"host", b"bench"), (b"content-type", b"application/json"),
               (b"content-length", str(len(body)).encode())]  # fmt: skip
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
            "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "", "headers": headers,
            "client": (f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}", 1), "server": ("127.0.0.1", 80)}  # fmt: skip


async def _call(app: Any, method: str, path: str, body: bytes = b"") -> int:
    sent = False
    status = 0

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            await asyncio.sleep(3600)
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(_scope(method, path, body), receive, send)
    return status


async def _timed(
    app: Any, n: int, method: str, path: str, bodies: list[bytes] | None = None, concurrency: int = 1
) -> float:
    start = time.process_time()  # CPU of this process (threads included): what a busy machine inflates least

    async def client(k: int) -> None:
        for i in range(k, n, concurrency):
            status = await _call(app, method, path, bodies[i % len(bodies)] if bodies else b"")
            assert status in (200, 201), status

    await asyncio.gather(*(client(k) for k in range(concurrency)))
    return (time.process_time() - start) / n * 1e6


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--understanding", choices=["worker", "inline"], default="worker")
    ap.add_argument("--concurrency", type=int, default=16, help="concurrent submissions (inline only)")
    ap.add_argument("--window", type=float, default=0.005, help="seconds a micro-batch waits (inline only)")
    ap.add_argument(
        "--limit-ab", action="store_true", help="alternate rounds without and with the per-address limit"
    )
    ap.add_argument(
        "--routing-ab", action="store_true", help="alternate rounds: linear route walk, route index"
    )
    args = ap.parse_args()
    folder = tempfile.mkdtemp()
    os.environ.update({"MINYI_ENV": "test", "MINYI_SECRET_KEY": "bench-secret-0123456789abcdef-0123456789abcdef",
                       "MINYI_UNDERSTANDING": args.understanding, "MINYI_DATABASE_URL": f"sqlite:///{folder}/asgi.sqlite3",
                       "MINYI_NOTIFY_WORKER": "false", "MINYI_LOG_LEVEL": "INFO"})  # fmt: skip
    from tests.support.factories import make_org

    from minyi.app import create_app
    from minyi.db import get_engine, session_factory
    from minyi.migrate import upgrade
    from minyi.ops.logs import configure_logging
    from minyi.settings import get_settings

    configure_logging("INFO", stream=open(os.devnull, "w"))  # noqa: SIM115 - the access lines are still formatted
    upgrade(get_engine())
    with session_factory(get_engine())() as s:
        make_org(s)
    app = create_app()
    bodies = [json.dumps({"kind": "complaint", "channel": "web", "title": f"路灯不亮{i}", "region_code": "990102",
                          "body": f"东区中山路{i}号门口的路灯坏了一周，晚上很黑，请尽快修理。",
                          "contact": {"name": "李四", "phone": "13800001111"}}, ensure_ascii=False).encode()
              for i in range(50)]  # fmt: skip

    async def inline() -> None:
        """Concurrent submissions understood inline: one model call per message against micro-batches."""
        from minyi.understanding.apply import _TOGETHER as together

        await _timed(app, 32, "POST", "/api/v1/cases", bodies, args.concurrency)
        for r in range(args.rounds):
            out = []
            for size, window in ((1, 0.0), (16, 0.0), (16, args.window)):
                together.size, together.window, calls = size, window, together.batches
                cpu = await _timed(app, args.requests, "POST", "/api/v1/cases", bodies, args.concurrency)
                out.append(
                    f"batch ≤{size}, window {window * 1000:g} ms: {cpu:.0f} µs CPU ({args.requests / (together.batches - calls):.1f}/call)"
                )
            print(f"round {r + 1}, inline, {args.concurrency} concurrent: " + ", ".join(out)
                  + f", load {os.getloadavg()[0]:.1f}")  # fmt: skip

    async def run() -> None:
        if args.understanding == "inline":
            return await inline()
        await _timed(app, 50, "GET", "/api/v1/health")
        await _timed(app, 50, "POST", "/api/v1/cases", bodies)
        index = app.router.middleware_stack
        ab = args.limit_ab or args.routing_ab
        for r in range(args.rounds * (2 if ab else 1)):
            limit = get_settings().public_submissions_per_hour = 20 if not args.limit_ab or r % 2 else 0
            if args.routing_ab:  # even rounds: FastAPI's own walk over every route
                app.router.middleware_stack = index if r % 2 else app.router.app
            trivial = await _timed(app, args.requests, "GET", "/api/v1/health")
            submit = await _timed(app, args.requests, "POST", "/api/v1/cases", bodies)
            what = (f", limit {limit}/h" if args.limit_ab else "") + (
                (", route index" if r % 2 else ", linear walk") if args.routing_ab else ""
            )
            print(f"round {r + 1}{what}: POST /api/v1/cases {submit:.0f} µs CPU, GET /api/v1/health {trivial:.0f} µs CPU, "
                  f"ratio {trivial / submit:.3f}, load {os.getloadavg()[0]:.1f}")  # fmt: skip

    asyncio.run(run())


if __name__ == "__main__":
    main()
