"""Server CPU per vote without the network: the ASGI app called in-process (middleware, routing, validation, the
signed participant id, the unit of work, SQLite) for POST …/votes beside GET /api/v1/health in the same run.

Usage: PYTHONPATH=src .venv/bin/python bench/bench_vote_asgi.py [--requests N] [--rounds R] [--profile]
Prints microseconds of CPU per request for each (process time) and their ratio: a vote costs `ratio`
trivial requests. Run it against two source trees in turn (PYTHONPATH=old/src, then new/src) to compare them.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import bench_asgi  # noqa: E402

_plain_scope = bench_asgi._scope


TOKEN: list[bytes] = [b""]  # the participant's signed id for the next request (none when empty)


def _scope_with_token(method: str, path: str, body: bytes = b"") -> dict[str, Any]:
    scope = _plain_scope(method, path, body)
    if TOKEN[0]:
        scope["headers"] = [*scope["headers"], (b"x-participant", TOKEN[0])]
    return scope


bench_asgi._scope = _scope_with_token


async def call(app: Any, method: str, path: str, body: bytes = b"", token: str = "") -> int:
    """One request through the whole ASGI app (bench_asgi's, with the X-Participant header); its status."""
    TOKEN[0] = token.encode()
    return await bench_asgi._call(app, method, path, body)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=400)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()
    url = f"sqlite:///{tempfile.mkdtemp()}/votes.sqlite3"
    os.environ.update({"MINYI_ENV": "production", "MINYI_REPORT_WORKER": "0", "MINYI_NOTIFY_WORKER": "false",
                       "MINYI_LOG_LEVEL": os.environ.get("MINYI_LOG_LEVEL", "WARNING")})  # fmt: skip
    from bench_votes import open_consultation

    people, statements = 500, 100
    cid, ids, tokens = open_consultation(url, people, statements)
    if args.profile:  # the sync routes run inline, so that the profile sees them (threads are not profiled)
        import fastapi.dependencies.utils as deps_utils
        import fastapi.routing as routing

        async def inline(func: Any, *a: Any, **kw: Any) -> Any:
            return func(*a, **kw)

        routing.run_in_threadpool = deps_utils.run_in_threadpool = inline  # type: ignore[assignment]
    from minyi.app import create_app

    app = create_app()
    path = f"/api/v1/consultations/{cid}/votes"
    votes = [(tokens[i % people], json.dumps({"statement_id": ids[(i // people) % statements],
                                              "vote": (1, -1, 0)[(i * 7) % 3]}).encode())
             for i in range(people * statements)]  # fmt: skip
    done = 0

    async def timed(n: int, vote: bool) -> float:
        nonlocal done
        start = time.process_time()
        for _ in range(n):
            if vote:
                token, body = votes[done % len(votes)]
                done += 1
                status = await call(app, "POST", path, body, token)
            else:
                status = await call(app, "GET", "/api/v1/health")
            assert status == 200, status
        return (time.process_time() - start) / n * 1e6

    async def run() -> None:
        await timed(50, False)
        await timed(50, True)
        profile = cProfile.Profile()
        for r in range(args.rounds):
            trivial = await timed(args.requests, False)
            if args.profile:
                profile.enable()
            vote = await timed(args.requests, True)
            profile.disable()
            print(f"round {r + 1}: POST …/votes {vote:.0f} µs CPU, GET /api/v1/health {trivial:.0f} µs CPU, "
                  f"a vote = {vote / trivial:.2f} trivial requests, load {os.getloadavg()[0]:.1f}")  # fmt: skip
        if args.profile:
            pstats.Stats(profile).sort_stats(os.environ.get("SORT", "tottime")).print_stats(
                int(os.environ.get("TOP", "40"))
            )

    asyncio.run(run())


if __name__ == "__main__":
    main()
