"""Does the understanding worker's memory grow with the cases it understands? In process, no server.

Usage: PYTHONPATH=src .venv/bin/python bench/soak_worker_memory.py [--rounds 20] [--per-round 200] [--pg]
       [--job N] [--no-trace] [--top 15]
Stores rounds x per-round distinct generated submissions first (understanding "worker": left for the job), then
has them understood round by round, printing the resident memory after each round (after `gc.collect()`); with
tracing, `tracemalloc` snapshots after round 3 and the last, and the top growers between them (by line).
`--pg`: a throwaway PostgreSQL server; intake queues one job per case and the procrastinate worker
(`jobs.run_worker`, as `minyi enrich --follow`) takes them. Default: a fresh SQLite file, `do_understand` called
directly in jobs of `--job` cases (worker.BATCH), a fresh session per job (as `jobs.understand_cases`).
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import signal
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PLACES = [
    "中山路",
    "湖滨路",
    "建设街",
    "人民路",
    "解放路",
    "幸福里",
    "光明小区",
    "东风村",
    "新华街",
    "桂花园",
]
MATTERS = [
    "门口的路灯坏了{n}天，晚上很黑，请尽快修理。",
    "{n}栋电梯坏了一个月，物业不修，老人上下楼困难。",
    "工地夜间施工到凌晨{n}点，噪音扰民，无法休息。",
    "公司拖欠{n}名工人工资三个月，多次讨要无果。",
    "垃圾站{n}天没人清运，臭气熏天，蚊蝇滋生。",
    "下水道堵塞，污水漫到路面{n}米，行人无法通过。",
    "小区停车位被占用，{n}辆车乱停，消防通道堵塞。",
    "学校门口{n}路公交车站被撤，孩子上学要走很远。",
    "燃气管道漏气，闻到很大的气味，{n}户居民很担心。",
    "餐馆油烟直排，{n}楼住户不能开窗。",
]
CHARS = "的是在有人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞"


def texts(n: int, seed: int = 7) -> list[tuple[str, str]]:
    """n distinct submissions: a place, a matter, numbers and a few random characters (no real data)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        place, matter = rng.choice(PLACES), rng.choice(MATTERS)
        extra = "".join(rng.choices(CHARS, k=6))  # a few random words: a vocabulary that keeps growing
        out.append(
            (
                f"{place}{matter[:6]}{i}",
                f"我住在{place}{rng.randint(1, 300)}号，{matter.format(n=rng.randint(2, 99))}{extra}",
            )
        )
    return out


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class Rounds:
    """Resident memory after each round, and tracemalloc snapshots after round 3 and the last."""

    def __init__(self, rounds: int, trace: bool) -> None:
        self.rounds, self.trace = rounds, trace
        self.first: tracemalloc.Snapshot | None = None
        self.cpu = time.process_time()
        print("round  understood  rss_mb  cpu_s", flush=True)

    def before(self, r: int) -> None:
        if r == 2 and self.trace:
            tracemalloc.start(5)

    def after(self, r: int, done: int) -> None:
        gc.collect()  # what is left is held, not garbage waiting for the collector
        cpu, self.cpu = time.process_time() - self.cpu, time.process_time()
        print(f"{r + 1:5d} {done:11d} {rss_mb():7.1f} {cpu:6.2f}", flush=True)
        if r == 2 and self.trace:
            self.first = tracemalloc.take_snapshot()

    def report(self, top: int) -> None:
        if self.first is None:
            return
        stats = tracemalloc.take_snapshot().compare_to(self.first, "lineno")
        grown = sum(st.size_diff for st in stats)
        print(f"traced growth from round 3 to {self.rounds}: {grown / 1024:.0f} KiB; top growers:")
        for st in stats[:top]:
            print(f"  {st.size_diff / 1024:8.1f} KiB {st.count_diff:+7d} blocks  {st.traceback[0]}")


def direct(factory: Any, ids: list[int], rounds: Rounds, per_round: int, size: int) -> None:
    """Each round: its cases in jobs of `size` (BATCH), each job a fresh session (jobs.understand_cases)."""
    from minyi.understanding.worker import BATCH, do_understand

    size = size or BATCH
    for r in range(rounds.rounds):
        rounds.before(r)
        done = 0
        chunk = ids[r * per_round : (r + 1) * per_round]
        for at in range(0, len(chunk), size):
            with factory() as s:
                done += do_understand(s, chunk[at : at + size])
        rounds.after(r, done)


def queue(engine: Any, rounds: Rounds, per_round: int) -> None:
    """The procrastinate worker (in this thread, as `minyi enrich --follow`) takes the jobs intake queued; a
    watcher thread counts understood cases and closes each round when per_round more are done."""
    from sqlalchemy import text

    from minyi.understanding.jobs import run_worker

    def watch() -> None:
        with engine.connect() as conn:
            for r in range(rounds.rounds):
                rounds.before(r)
                while True:
                    sql = "SELECT count(*) FROM cases WHERE understood_at IS NOT NULL"
                    done = conn.execute(text(sql)).scalar_one()
                    conn.rollback()
                    if done >= (r + 1) * per_round:
                        break
                    time.sleep(0.2)
                rounds.after(r, done)
        os.kill(os.getpid(), signal.SIGINT)  # procrastinate's handler stops the worker gracefully

    threading.Thread(target=watch, daemon=True).start()
    run_worker(engine)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--per-round", type=int, default=200)
    ap.add_argument(
        "--pg", action="store_true", help="a throwaway PostgreSQL server and the procrastinate worker"
    )
    ap.add_argument("--no-trace", action="store_true", help="resident memory only (tracemalloc costs time)")
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--job", type=int, default=0, help="cases per job without --pg (default worker.BATCH)")
    args = ap.parse_args()
    if args.pg:
        from tests.support.pgserver import pg_cluster

        with pg_cluster() as url:
            run(args, url)
    else:
        run(args, f"sqlite:///{tempfile.mkdtemp()}/soak.sqlite3")


def run(args: argparse.Namespace, url: str) -> None:
    os.environ.update({"MINYI_ENV": "test", "MINYI_SECRET_KEY": "bench-secret-0123456789abcdef-0123456789abcdef",
                       "MINYI_UNDERSTANDING": "worker", "MINYI_NOTIFY_WORKER": "false",
                       "MINYI_DATABASE_URL": url, "MINYI_LOG_LEVEL": "WARNING"})  # fmt: skip
    from tests.support.factories import make_org

    from minyi.cases.schemas import CaseSubmission
    from minyi.db import get_engine, reset_caches, session_factory
    from minyi.intake.actions import do_submit_case
    from minyi.migrate import upgrade

    reset_caches()
    engine = get_engine()
    upgrade(engine)
    factory = session_factory(engine)
    with factory() as s:
        make_org(s)
    t = time.perf_counter()
    ids: list[int] = []
    with factory() as s:
        for title, body in texts(args.rounds * args.per_round):
            sub = CaseSubmission(
                kind="complaint", channel="web", title=title, body=body, region_code="990102"
            )
            ids.append(do_submit_case(s, sub)[0].id)
            s.expunge_all()
    print(f"stored {len(ids)} cases in {time.perf_counter() - t:.0f} s; {engine.dialect.name}", flush=True)
    rounds = Rounds(args.rounds, not args.no_trace)
    if args.pg:
        queue(engine, rounds, args.per_round)
    else:
        direct(factory, ids, rounds, args.per_round, args.job)
    rounds.report(args.top)
    engine.dispose()


if __name__ == "__main__":
    main()
