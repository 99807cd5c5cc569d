"""CPU per submission of the intake action alone: `do_submit_case` and the answer built from it, called in process
on a fresh SQLite file, beside a same-run reference (one `SELECT 1` through a session: the cost of one statement).

Usage: PYTHONPATH=src .venv/bin/python bench/bench_intake_action.py [--requests N] [--rounds R]
       [--understanding worker|inline] [--profile]
Run it with another tree's src first on PYTHONPATH for the old code (old and new alternating, back to back).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=400)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--understanding", choices=["worker", "inline"], default="worker")
    ap.add_argument("--profile", action="store_true", help="print the action's profile (minyi code) once")
    args = ap.parse_args()
    folder = tempfile.mkdtemp()
    os.environ.update({"MINYI_ENV": "test", "MINYI_SECRET_KEY": "bench-secret-0123456789abcdef-0123456789abcdef",
                       "MINYI_UNDERSTANDING": args.understanding, "MINYI_NOTIFY_WORKER": "false",
                       "MINYI_DATABASE_URL": f"sqlite:///{folder}/intake.sqlite3", "MINYI_LOG_LEVEL": "WARNING"})  # fmt: skip
    from sqlalchemy import text
    from tests.support.factories import make_org

    from minyi.cases.present import registered_view
    from minyi.cases.schemas import CaseSubmission
    from minyi.db import get_engine, session_factory
    from minyi.intake.actions import do_submit_case
    from minyi.migrate import upgrade

    upgrade(get_engine())
    factory = session_factory(get_engine())
    with factory() as s:
        make_org(s)
    subs = [CaseSubmission.model_validate({"kind": "complaint", "channel": "web", "title": f"路灯不亮{i}",
                                           "region_code": "990102", "contact": {"name": "李四", "phone": "13800001111"},
                                           "body": f"东区中山路{i}号门口的路灯坏了一周，晚上很黑，请尽快修理。"})
            for i in range(50)]  # fmt: skip

    def submit(i: int) -> None:
        with factory() as s:
            case, _ = do_submit_case(s, subs[i % len(subs)])
            registered_view(s, case).model_dump_json()

    def statement(_i: int) -> None:
        with factory() as s:
            s.execute(text("SELECT 1")).scalar()

    def cpu(fn: object, n: int) -> float:
        start = time.process_time()
        for i in range(n):
            fn(i)  # type: ignore[operator]
        return (time.process_time() - start) / n * 1e6

    cpu(submit, 50)
    for r in range(args.rounds):
        ref, act = cpu(statement, args.requests), cpu(submit, args.requests)
        print(f"round {r + 1} ({args.understanding}): intake action + answer {act:.0f} µs CPU, one statement "
              f"{ref:.0f} µs CPU, ratio {ref / act:.3f}, load {os.getloadavg()[0]:.1f}")  # fmt: skip
    if args.profile:
        prof = cProfile.Profile()
        prof.runcall(cpu, submit, args.requests)
        pstats.Stats(prof).sort_stats("cumulative").print_stats("minyi/", 30)


if __name__ == "__main__":
    main()
