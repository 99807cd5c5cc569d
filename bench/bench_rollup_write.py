"""What keeping the scoreboard's rollup costs a write: CPU per case write with the rollup's hook on and off,
alternated round by round on a throwaway SQLite database, and the per-case CPU of counting a batch (an import).

Usage: python bench/bench_rollup_write.py [--rounds 6] [--writes 10]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument("--writes", type=int, default=10)
    args = ap.parse_args()
    from tests.support.factories import make_org, submit

    import minyi.models  # noqa: F401
    from minyi import uow
    from minyi.cases import actions as act
    from minyi.db import make_engine, session_factory
    from minyi.deadlines.clock import calendar
    from minyi.migrate import upgrade
    from minyi.portal import rollup

    engine = make_engine(f"sqlite:///{tempfile.mkdtemp()}/bench.db")
    upgrade(engine)
    with session_factory(engine)() as s:
        org = make_org(s)
        intake, handler = org.actor("intake"), org.actor("housing-handler")

        def one() -> None:  # five writes: submit, accept, assign, sign for, reply
            case = submit(s)
            act.do_accept(s, case, intake)
            act.do_assign(s, case, intake, department_id=org.housing.id)
            act.do_sign_for(s, case, handler)
            act.do_reply(s, case, handler, text="已派人维修，今日恢复正常，感谢反映。")

        for _ in range(5):
            one()
        cpu: dict[str, list[float]] = {"on": [], "off": []}
        for _ in range(args.rounds):
            for mode in ("on", "off"):
                if mode == "off":
                    uow._BEFORE_COMMIT.remove(rollup._count_touched)
                t = time.process_time()
                for _ in range(args.writes):
                    one()
                cpu[mode].append((time.process_time() - t) / (5 * args.writes) * 1000)
                if mode == "off":
                    uow._BEFORE_COMMIT.append(rollup._count_touched)
        on, off = statistics.median(cpu["on"]), statistics.median(cpu["off"])
        print(f"CPU per case write: rollup on {on:.2f} ms, off {off:.2f} ms (+{on - off:.2f} ms, "
              f"{(on / off - 1) * 100:.0f} %); load {os.getloadavg()[0]:.1f}")  # fmt: skip
        ids = list(range(1, 5 + 2 * args.rounds * args.writes + 1))
        t = time.process_time()
        for _ in range(5):
            rollup.facts_of(s, ids, calendar(s))
        per = (time.process_time() - t) / (5 * len(ids)) * 1e6
        print(f"reading and computing one case's facts in a batch of {len(ids)}: {per:.0f} µs CPU")
    engine.dispose()


if __name__ == "__main__":
    main()
