"""With N cases stored (default 1,000,000): a department's work queue p95, and `minyi sweep` over all open cases.

Usage: .venv/bin/python bench/bench_scale.py [N] [--db URL]
Cases are bulk-inserted in realistic states (60% closed, the rest spread over the open states with deadlines
from the last six months), so the sweep has real work: reminders, notices and accountability records.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import timedelta

from sqlalchemy import func, insert, select

import minyi.models  # noqa: F401
from minyi.accounts.actions import actor_of
from minyi.accounts.models import User
from minyi.cases.models import Case
from minyi.cases.queries import QueueFilter, list_queue
from minyi.cases.tracking import new_code
from minyi.db import make_engine, session_factory, utcnow
from minyi.deadlines.rules import STOPPED, XINFANG, compute_clock
from minyi.deadlines.sweep import sweep
from minyi.deadlines.workcal import WorkCalendar
from minyi.demo.load import load_demo
from minyi.departments.models import Department
from minyi.migrate import upgrade

OPEN = [("registered", "acceptance"), ("accepted", "handling"), ("assigned", "sign_for"),
        ("in_progress", "handling"), ("in_progress", "handling"), ("rehandling", "rehandling")]  # fmt: skip


def fill(engine, n: int, seed: int = 1) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    cal = WorkCalendar()
    now = utcnow()
    with session_factory(engine)() as s:
        depts = list(s.scalars(select(Department.id)))
        start_id = (s.scalar(select(func.max(Case.id))) or 0) + 1
    batch = []
    t0 = time.perf_counter()
    with engine.begin() as conn:
        for i in range(n):
            reg = now - timedelta(days=rng.random() * 180)
            row = {
                "id": start_id + i, "tracking_code": new_code(), "kind": "complaint", "channel": "hotline",
                "title": f"诉求{i}", "body": "路灯不亮，请尽快维修。", "visibility": "public", "round": 1,
                "policy_name": XINFANG.name, "urgent": False, "registered_at": reg, "created_at": reg, "updated_at": reg,
                "extension_days": 0, "event_count": 0, "last_event_hash": "", "version": 1,
                "needs_triage": False, "urgency_flags": [], "department_id": rng.choice(depts),
            }  # fmt: skip
            row.update(dict.fromkeys(("reply_text", "closed_at", "handling_due_at")), **STOPPED.as_values())
            if rng.random() < 0.6:
                row.update(status="closed", reply_text="已处理", closed_at=reg + timedelta(days=5))
            else:
                status, stage = rng.choice(OPEN)
                row.update(status=status, **compute_clock(stage, reg, XINFANG, cal).as_values())
            batch.append(row)
            if len(batch) == 20_000:
                conn.execute(insert(Case.__table__), batch)
                batch = []
        if batch:
            conn.execute(insert(Case.__table__), batch)
    print(f"stored {n:,} cases in {time.perf_counter() - t0:.0f}s")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=1_000_000)
    ap.add_argument("--db", default=None)
    args = ap.parse_args()
    url = args.db or f"sqlite:///{tempfile.mkdtemp()}/scale.sqlite3"
    engine = make_engine(url)
    upgrade(engine)
    load_demo(engine, n_cases=0)
    fill(engine, args.n)
    with session_factory(engine)() as s:
        s.execute(select(func.count()).select_from(Case)).scalar()
        handlers = list(s.scalars(select(User).where(User.role == "handler")))
        times = []
        for i in range(300):
            actor = actor_of(handlers[i % len(handlers)])
            t = time.perf_counter()
            items, total = list_queue(s, actor, QueueFilter(queue="mine", per_page=20))
            times.append((time.perf_counter() - t) * 1000)
            s.rollback()
        q = statistics.quantiles(times, n=100)
        print(f"work queue, first page by due date (with total count): p50 {q[49]:.1f} ms, p95 {q[94]:.1f} ms "
              f"({total:,} open cases in the last department)")  # fmt: skip
        times = []
        for i in range(300):
            actor = actor_of(handlers[i % len(handlers)])
            t = time.perf_counter()
            list_queue(s, actor, QueueFilter(queue="mine", per_page=20), count=False)
            times.append((time.perf_counter() - t) * 1000)
            s.rollback()
        q = statistics.quantiles(times, n=100)
        print(f"work queue, first page only: p50 {q[49]:.1f} ms, p95 {q[94]:.1f} ms")
        open_cases = s.scalar(select(func.count()).select_from(Case).where(Case.status != "closed"))
    t = time.perf_counter()
    report = sweep(engine)
    first = time.perf_counter() - t
    t = time.perf_counter()
    again = sweep(engine)
    second = time.perf_counter() - t
    print(f"sweep over {open_cases:,} open cases: {first:.1f}s, issued {report.issued}; "
          f"second run {second:.1f}s, issued {again.total_issued}")  # fmt: skip


if __name__ == "__main__":
    main()
