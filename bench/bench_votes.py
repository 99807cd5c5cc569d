"""HTTP vote benchmark: wrk against `minyi serve`, posting votes to one open consultation (SQLite by default).

Usage: .venv/bin/python bench/bench_votes.py [--db sqlite|postgresql] [--workers N] [--seconds S]
       [--participants P] [--statements S]
Prints votes/s and latency percentiles beside the same server's throughput on the trivial endpoint.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_http import database, free_port, wrk  # noqa: E402


def open_consultation(url: str, participants: int, statements: int) -> tuple[int, list[int], list[str]]:
    """An open consultation with statements and participants whose rate limits start afresh: its id, the
    statement ids and the participants' signed tokens (shared with bench_vote_path.py)."""
    os.environ.update(MINYI_DATABASE_URL=url, MINYI_SECRET_KEY="bench-secret-" + "x" * 32)
    from datetime import timedelta

    from minyi.accounts.actor import Actor
    from minyi.accounts.roles import Role
    from minyi.consultation import participation as part
    from minyi.consultation.actions import do_create_consultation, do_open
    from minyi.consultation.participants import participant_token
    from minyi.consultation.schemas import ConsultationIn
    from minyi.db import make_engine, session_factory, utcnow
    from minyi.migrate import upgrade

    engine = make_engine(url)
    upgrade(engine)
    admin = Actor(Role.admin, "bench")
    with session_factory(engine)() as s:
        body = ConsultationIn(title="基准测试", committee="bench", opens_at=utcnow() - timedelta(hours=1),
                              closes_at=utcnow() + timedelta(days=30), draft="第一条 基准。")  # fmt: skip
        c = do_create_consultation(s, admin, body)
        do_open(s, c, admin)
        people = [part.do_join(s, c) for _ in range(participants)]
        ids = [
            part.do_write_statement(s, c, people[i % participants], text=f"观点{i}").id
            for i in range(statements)
        ]
        # writing the statements counted towards the authors' rate limits: start them afresh
        from minyi.uow import write

        with write(s, admin, bookkeeping="benchmark set-up"):
            for p in people:
                p.last_write_at, p.writes_in_window = None, 0
        tokens = [participant_token(c.id, p.pseudonym) for p in people]
        cid = c.id
    engine.dispose()
    return cid, ids, tokens


def prepare(url: str, participants: int, statements: int, path: Path) -> int:
    """An open consultation with statements and participants; one vote request per line (token, body)."""
    cid, ids, tokens = open_consultation(url, participants, statements)
    with path.open("w") as f:
        for i in range(participants * statements):
            vote = (1, -1, 0)[(i * 7) % 3]
            body_json = json.dumps({"statement_id": ids[(i // participants) % statements], "vote": vote})
            f.write(f"{tokens[i % participants]}\t{body_json}\n")
    return cid


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seconds", type=int, default=15)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--participants", type=int, default=1000)
    ap.add_argument("--statements", type=int, default=100)
    args = ap.parse_args()
    with database(args.db) as url:
        votes = Path(tempfile.mkdtemp()) / "votes.tsv"
        cid = prepare(url, args.participants, args.statements, votes)
        os.environ["VOTES"] = str(votes)
        # no scheduled PDF regeneration (it starts Chromium beside the server and skews the figure)
        env = {**os.environ, "MINYI_DATABASE_URL": url, "MINYI_ENV": "production", "MINYI_REPORT_WORKER": "0"}
        minyi = os.environ.get("MINYI_BIN", str(ROOT / ".venv/bin/minyi"))
        port = free_port()
        server = subprocess.Popen(
            [minyi, "serve", "--port", str(port), "--workers", str(args.workers)], env=env
        )
        base = f"http://127.0.0.1:{port}"
        script = str(ROOT / "bench/post_vote.lua")
        try:
            for _ in range(600):  # the server takes a while to load its models
                try:
                    urllib.request.urlopen(f"{base}/api/v1/health", timeout=1)
                    break
                except OSError:
                    time.sleep(0.2)
            target = f"{base}/api/v1/consultations/{cid}/votes"
            wrk(target, 3, args.connections, script)  # warm-up
            post = wrk(target, args.seconds, args.connections, script)
            trivial = wrk(f"{base}/api/v1/health", args.seconds, args.connections)
        finally:
            server.terminate()
            server.wait(10)
    print(f"{args.db}, {args.workers} worker(s), {args.connections} connections, {args.seconds}s, "
          f"{args.participants} participants × {args.statements} statements:")  # fmt: skip
    print(f"  POST …/votes        {post['rps']:.0f} votes/s  p50 {post['p50']:.1f} ms  p90 {post['p90']:.1f} ms"
          f"  p99 {post['p99']:.1f} ms  non-2xx {post['non2xx']:.0f}")  # fmt: skip
    print(f"  GET  /api/v1/health {trivial['rps']:.0f} requests/s    p50 {trivial['p50']:.1f} ms  "
          f"p99 {trivial['p99']:.1f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
