"""The cold public scoreboard on the scale database: recomputed from every case (before) against the rollup's
(departments × months) rows (after), alternated in one process, beside a key lookup; and that both agree.

Usage: python bench/bench_scoreboard_pg.py [--runs 3]
Needs `bench/pgscale.py start`, `bench/gen_pg_scale.py N` and the schema at 0034 or later (its backfill fills
the rollup; `minyi scoreboard rebuild` after loading more cases outside minyi).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from appstack import load  # noqa: E402
from pgscale import PRIMARY_PORT, url  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    from sqlalchemy import func, select

    import minyi.models  # noqa: F401
    from minyi.cases.models import Case
    from minyi.db import make_engine, session_factory
    from minyi.deadlines.clock import calendar
    from minyi.portal import queries
    from minyi.portal.models import ScoreboardMonth

    engine = make_engine(url(PRIMARY_PORT))
    with session_factory(engine)() as s:
        n = s.scalar(select(func.count()).select_from(Case))
        cells = s.scalar(select(func.count()).select_from(ScoreboardMonth))
        print(f"{n:,} cases, {cells:,} rollup rows; {load()}", flush=True)
        ref = []
        for i in range(100):
            t = time.perf_counter()
            s.execute(select(Case.id, Case.status).where(Case.id == 1 + i * 997)).all()
            ref.append((time.perf_counter() - t) * 1000)
            s.rollback()
        print(f"reference, one case by id: p50 {statistics.median(ref):.1f} ms; {load()}", flush=True)
        cal = calendar(s)
        for run in range(args.runs):
            queries._CACHE.clear()
            t, cpu = time.perf_counter(), time.process_time()
            board = queries.scoreboard(s, cal)
            new = (time.perf_counter() - t, time.process_time() - cpu)
            s.rollback()
            rows = {
                r.department_id: queries.ScoreRow(department_id=r.department_id, name=r.name) for r in board
            }
            t, cpu = time.perf_counter(), time.process_time()
            queries.from_record(s, cal, rows, None)
            old = (time.perf_counter() - t, time.process_time() - cpu)
            s.rollback()
            same = all((a.received, a.replied, a.on_time, a.evaluated, a.satisfied, a.rehandled, a.returned,
                        a.escalated, a.group_demands, round(a.avg_reply_days or 0, 6))
                       == (b.received, b.replied, b.on_time, b.evaluated, b.satisfied, b.rehandled, b.returned,
                           b.escalated, b.group_demands, round(b.avg_reply_days or 0, 6))
                       for a, b in zip(sorted(board, key=lambda r: r.department_id),
                                       sorted(rows.values(), key=lambda r: r.department_id), strict=True))  # fmt: skip
            print(f"run {run + 1}: from every case {old[0] * 1000:,.0f} ms wall ({old[1] * 1000:,.0f} ms CPU here) | "
                  f"rollup {new[0] * 1000:,.1f} ms wall ({new[1] * 1000:,.1f} ms CPU) | ratio {old[0] / new[0]:,.0f}x"
                  f" | same figures: {same}; {load()}", flush=True)  # fmt: skip
    engine.dispose()


if __name__ == "__main__":
    main()
