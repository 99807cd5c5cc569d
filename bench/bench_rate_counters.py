"""CPU per rate-limited request in `rate_counters`, beside a trivial read of the same session, in one run.

Usage: PYTHONPATH=src .venv/bin/python bench/bench_rate_counters.py [N] [DATABASE_URL]
On a fresh migrated SQLite file (or an empty PostgreSQL database), alternating in rounds so that load swings hit
all alike: an allowed attempt (two-count read, then the capped upsert in its own bookkeeping write), a
refused attempt (the read only), the joined count as the intake pays it (the read, then the upsert inside the
caller's write: an empty bookkeeping write here, whose own cost is measured beside it and taken off), before
this cut (`rate_before.py`, SQLite only) and shipped, and the reference: `SELECT 1` and the end of that read. CPU is this process's
(time.process_time); on PostgreSQL the server's is not counted. Prints µs per operation and the ratio to the
reference, with `uptime`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

from sqlalchemy import text

import minyi.models  # noqa: F401 - every table registered
import minyi.ratelimit.joined as joined
from minyi.accounts.actor import SYSTEM
from minyi.db import make_engine, session_factory
from minyi.migrate import upgrade
from minyi.ratelimit.counters import Limit, attempt
from minyi.uow import end_read, write

sys.path.insert(0, os.path.dirname(__file__))
import rate_before  # noqa: E402

os.environ.setdefault("MINYI_SECRET_KEY", "bench-secret")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    url = sys.argv[2] if len(sys.argv) > 2 else f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    engine = make_engine(url)
    upgrade(engine)
    session = session_factory(engine)()
    allowed, refused = Limit("bench:allowed", 10**9, 3600), Limit("bench:refused", 1, 3600)
    attempt(session, refused, "203.0.113.9")  # the one place: every later attempt is refused on the read
    counter = iter(range(10**9))

    def reference() -> None:
        session.execute(text("SELECT 1"))
        end_read(session)

    def empty_write() -> None:
        with write(session, SYSTEM, bookkeeping="bench"):
            session.connection()

    shipped, before = (joined._counts, joined._add, joined.bucket_of), rate_before.before()

    def joined_count(parts: tuple[object, object, object]) -> Callable[[], object]:
        def op() -> None:
            joined._counts, joined._add, joined.bucket_of = parts  # type: ignore[assignment]
            address = f"198.51.100.{next(counter) % 250}"
            joined.refuse_or_count_with_next_write(session, allowed, address, "{wait}", "{wait}")
            empty_write()

        return op

    ops: dict[str, Callable[[], object]] = {
        "allowed attempt (read + upsert)": lambda: attempt(
            session, allowed, f"198.51.100.{next(counter) % 250}"
        ),
        "refused attempt (read only)": lambda: attempt(session, refused, "203.0.113.9"),
        "joined count, shipped": joined_count(shipped),
        **({"joined count, before": joined_count(before)} if engine.dialect.name == "sqlite" else {}),
        "an empty write (taken off the joined)": empty_write,
        "reference: SELECT 1": reference,
    }
    cpu = dict.fromkeys(ops, 0.0)
    rounds = 10
    for _ in range(rounds):
        for name, op in ops.items():
            start = time.process_time()
            for _ in range(n // rounds):
                op()
            cpu[name] += time.process_time() - start
    ref = cpu["reference: SELECT 1"] / n
    for name in [k for k in cpu if k.startswith("joined")]:
        cpu[name] -= cpu["an empty write (taken off the joined)"]
    print(f"{engine.dialect.name}, {n} operations each, CPU of this process")
    for name, total in cpu.items():
        print(f"  {name:<38} {1e6 * total / n:8.1f} µs   ×{total / n / ref:5.1f} the reference")
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
