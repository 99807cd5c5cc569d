"""Server render time of the main pages with many cases stored (SQLite): p50/p95 per page and SQL counts.

Usage: .venv/bin/python bench/bench_pages.py --cases 100000 --repeat 30
The demo city (60 cases through the real actions) is cloned in SQL up to --cases rows.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("MINYI_SECRET_KEY", "bench")
os.environ.setdefault("MINYI_ENV", "test")

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import event, func, select, text  # noqa: E402

from minyi.app import create_app  # noqa: E402
from minyi.cases.models import Case  # noqa: E402
from minyi.db import make_engine, session_factory  # noqa: E402
from minyi.demo.load import DEMO_PASSWORD, load_demo  # noqa: E402
from minyi.migrate import upgrade  # noqa: E402


def clone_cases(engine, target: int) -> int:  # type: ignore[no-untyped-def]
    """Copy the existing cases (fresh ids and tracking codes, shifted dates) until `target` rows exist."""
    with engine.connect() as conn:
        cols = [r[1] for r in conn.exec_driver_sql("PRAGMA table_info(cases)")]
    keep = [c for c in cols if c not in ("id", "tracking_code", "external_source", "external_ref")]
    with session_factory(engine)() as s:
        n = s.scalar(select(func.count()).select_from(Case)) or 0
        batch = 0
        while n < target:
            batch += 1
            limit = min(n, target - n)
            s.execute(text(
                f"INSERT INTO cases (tracking_code, {', '.join(keep)}) "
                f"SELECT substr(tracking_code, 1, 6) || printf('%06d', id + {n}) , {', '.join(keep)} "
                f"FROM cases ORDER BY id LIMIT {limit}"
            ))  # fmt: skip
            s.commit()
            n += limit
        s.execute(text("ANALYZE"))
        s.commit()
    return n


def main() -> None:
    """Build the database, then time each page `repeat` times after one warm-up."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="minyi-bench-"))
    engine = make_engine(f"sqlite:///{folder / 'bench.sqlite3'}")
    upgrade(engine)
    load_demo(engine, n_cases=60, seed=3)
    t0 = time.perf_counter()
    total = clone_cases(engine, args.cases)
    from minyi.accounts.actor import SYSTEM
    from minyi.cases.search import reindex
    from minyi.uow import write

    with session_factory(engine)() as s, write(s, SYSTEM) as tx:  # clones bypass intake: index them
        tx.record("search.reindex", "search_index", None, {"cases": reindex(s)})
    print(f"cases stored: {total} (cloning took {time.perf_counter() - t0:.1f} s)")
    with session_factory(engine)() as s:
        public_id = s.scalar(
            select(Case.id).where(Case.status == "closed", Case.visibility == "public").limit(1)
        )
        staff_id = s.scalar(select(Case.id).where(Case.status == "in_progress").limit(1))
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    client = TestClient(create_app(engine))
    staff = TestClient(create_app(engine))
    page = staff.get("/staff/login").text
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    staff.post("/staff/login", data={"username": "admin", "password": DEMO_PASSWORD, "csrf_token": token})
    pages = [
        (client, "/"), (client, "/submit"), (client, "/cases"), (client, "/cases?q=路灯&kind=complaint"), (client, "/cases?q=电梯"),
        (client, f"/cases/{public_id}"), (client, "/scoreboard"), (client, "/scoreboard.csv"),
        (staff, "/staff?view=all"), (staff, "/staff?view=overdue"), (staff, f"/staff/cases/{staff_id}"),
        (staff, "/staff/board"), (staff, "/staff/admin"),
    ]  # fmt: skip
    print(f"{'page':42} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'SQL':>5}")
    for c, url in pages:
        cold = time.perf_counter()
        assert c.get(url).status_code == 200, url
        cold_ms = 1000 * (time.perf_counter() - cold)
        times = []
        for _ in range(args.repeat):
            statements.clear()
            start = time.perf_counter()
            r = c.get(url)
            times.append(1000 * (time.perf_counter() - start))
            assert r.status_code == 200
        times.sort()
        p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
        print(f"{url[:42]:42} {statistics.median(times):8.1f} {p95:8.1f} {times[-1]:8.1f} {len(statements):5d}"
              f"  (first {cold_ms:.0f} ms)")  # fmt: skip


if __name__ == "__main__":
    main()
