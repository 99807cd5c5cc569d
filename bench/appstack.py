"""App servers and understanding workers on the scale clusters (bench/pgscale.py), for the soak and scale-out.

Each server is `minyi serve --workers 1` on its own port (the load generator spreads requests over them, as a
reverse proxy would); each worker is `minyi enrich --follow` (on PostgreSQL: a procrastinate worker).
Understanding is left to the workers (MINYI_UNDERSTANDING=worker); public reads go to the replica.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from pgscale import PRIMARY_PORT, REPLICA_PORT, url  # noqa: E402

SECRET = "bench-secret-0123456789abcdef-0123456789abcdef"


def env() -> dict[str, str]:
    return {**os.environ, "MINYI_DATABASE_URL": url(PRIMARY_PORT), "MINYI_REPLICA_URL": url(REPLICA_PORT),
            "MINYI_ENV": "production", "MINYI_SECRET_KEY": SECRET, "MINYI_UNDERSTANDING": "worker",
            "MINYI_PUBLIC_SUBMISSIONS_PER_HOUR": "0",  # the load comes from one machine
            "PYTHONPATH": str(ROOT / "src")}  # fmt: skip


def minyi(*args: str) -> list[str]:
    return [sys.executable, "-c", "from minyi.cli import main; main()", *args]


class Stack:
    """`apps` servers on ports 8801.., `workers` understanding workers; stop() ends them all."""

    def __init__(self, apps: int, workers: int) -> None:
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a killed bench still stops its servers
        self.ports = [8801 + i for i in range(apps)]
        self.apps = [subprocess.Popen(minyi("serve", "--port", str(p)), env=env()) for p in self.ports]
        self.workers = [subprocess.Popen(minyi("enrich", "--follow"), env=env(), stdout=subprocess.DEVNULL)
                        for _ in range(workers)]  # fmt: skip
        for p in self.ports:
            for _ in range(900):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{p}/api/v1/health", timeout=2)
                    break
                except OSError:
                    time.sleep(0.2)
            else:
                self.stop()
                raise RuntimeError(f"server on {p} did not start")

    @property
    def bases(self) -> list[str]:
        return [f"http://127.0.0.1:{p}" for p in self.ports]

    def stop(self) -> None:
        for p in self.apps + self.workers:
            p.terminate()
        for p in self.apps + self.workers:
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                p.kill()


def load() -> str:
    """The load average now (every figure carries it: the machine is shared)."""
    return "load " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def primary() -> psycopg.Connection:
    return psycopg.connect(url(PRIMARY_PORT).replace("+psycopg", ""), autocommit=True)


def backlog(conn: psycopg.Connection, since_id: int) -> tuple[int, int, float]:
    """Cases submitted since `since_id`: how many, how many still wait for understanding, and the oldest
    waiting one's age in seconds (the job lag as a citizen's case sees it)."""
    row = conn.execute(
        "SELECT count(*), count(*) FILTER (WHERE understood_at IS NULL), coalesce(extract(epoch FROM now() - "
        "min(created_at) FILTER (WHERE understood_at IS NULL)), 0) FROM cases WHERE id > %s", [since_id]
    ).fetchone()  # fmt: skip
    assert row is not None
    return int(row[0]), int(row[1]), float(row[2])


def failed_jobs(conn: psycopg.Connection) -> int:
    row = conn.execute("SELECT count(*) FROM procrastinate_jobs WHERE status = 'failed'").fetchone()
    return int(row[0]) if row else 0


def max_case_id(conn: psycopg.Connection) -> int:
    row = conn.execute("SELECT coalesce(max(id), 0) FROM cases").fetchone()
    return int(row[0]) if row else 0


def public_sample(conn: psycopg.Connection) -> tuple[list[int], list[str]]:
    """Public case ids and topic codes to read."""
    ids = [i for (i,) in conn.execute(
        "SELECT id FROM cases TABLESAMPLE SYSTEM (1) WHERE visibility = 'public' AND status IN ('accepted', "
        "'assigned', 'in_progress', 'replied', 'rehandling', 'closed') LIMIT 5000")]  # fmt: skip
    topics = [t for (t,) in conn.execute("SELECT DISTINCT topic_code FROM cases TABLESAMPLE SYSTEM (1)") if t]
    return ids, topics
