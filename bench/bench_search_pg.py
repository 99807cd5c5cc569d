"""The public word search on the scale database: the plain single query (before) against the bounded search
(`portal.word_search`, after), alternated query by query in one process, beside a key lookup.

Usage: python bench/bench_search_pg.py [--n 40] [--explain] [--old FILE]
Needs `bench/pgscale.py start` and `bench/gen_pg_scale.py N` (no replica: it reads the primary).
Prints p50/p95 wall per word and shape, the same-run reference (one case by id) and the load average.
`--old FILE`: "before" is that file's `page_of_word` (an earlier `portal/word_search.py`, e.g.
`git show main:src/minyi/portal/word_search.py > /tmp/old.py`) instead of the plain query; then the CPU per search
is printed too, this process's and the database backend's (from /proc: the same machine, 10 ms ticks, summed).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from appstack import load  # noqa: E402
from pgscale import PRIMARY_PORT, url  # noqa: E402

WORDS = ["路灯", "噪音", "小区", "物业", "停车", "供水", "公交", "路灯不亮", "噪音扰民", "电梯坏了"]


def pct(times: list[float]) -> str:
    q = statistics.quantiles(times, n=20)
    return f"p50 {statistics.median(times):6.1f} ms, p95 {q[18]:7.1f} ms"


def plain(session, q: str) -> list[int]:  # type: ignore[no-untyped-def]
    """The search before the bound (its first page): one query, every match of the word, a top-21 sort."""
    from sqlalchemy import select

    from minyi.cases.models import Case
    from minyi.cases.public import public_conditions, stored_public_text
    from minyi.cases.search import matching

    stmt = (
        select(Case).options(*stored_public_text()).where(*public_conditions(), matching(session, q, Case.id))
    )
    return [c.id for c in session.scalars(stmt.order_by(Case.registered_at.desc(), Case.id.desc()).limit(21))]


def backend_cpu(session) -> float:  # type: ignore[no-untyped-def]
    """Seconds of CPU the session's database backend has used (its /proc entry: the server runs here)."""
    from sqlalchemy import text

    pid = session.scalar(text("SELECT pg_backend_pid()"))
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def old_search(path: str):  # type: ignore[no-untyped-def]
    """`search_public_cases` with an earlier file's `page_of_word`."""
    import importlib.util

    from minyi.portal import queries

    spec = importlib.util.spec_from_file_location("old_word_search", path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)

    def search(session, f):  # type: ignore[no-untyped-def]
        new = queries.page_of_word
        queries.page_of_word = mod.page_of_word
        try:
            return queries.search_public_cases(session, f)
        finally:
            queries.page_of_word = new

    return search


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--explain", action="store_true")
    ap.add_argument(
        "--old", help="an earlier portal/word_search.py: before = its search, not the plain query"
    )
    args = ap.parse_args()
    from sqlalchemy import func, select, text

    import minyi.models  # noqa: F401
    from minyi.cases.models import Case
    from minyi.cases.search import grams
    from minyi.db import make_engine, session_factory
    from minyi.portal import word_search
    from minyi.portal.queries import PublicSearch, search_public_cases

    before = old_search(args.old) if args.old else None
    engine = make_engine(url(PRIMARY_PORT))
    with session_factory(engine)() as s:
        n = s.scalar(select(func.count()).select_from(Case))
        print(f"{n:,} cases; T = {word_search.bound(s):,}; {load()}", flush=True)
        ref: list[float] = []
        for i in range(args.n * 4):
            t = time.perf_counter()
            s.execute(select(Case.id, Case.status).where(Case.id == 1 + i * 997)).all()
            ref.append((time.perf_counter() - t) * 1000)
            s.rollback()
        print(f"reference, one case by id: {pct(ref)}; {load()}", flush=True)
        for word in WORDS:
            matches = s.scalar(text("SELECT count(*) FROM case_search WHERE doc @@ phraseto_tsquery('simple', :p)"),
                               {"p": " ".join(grams(word))})  # fmt: skip
            old: list[float] = []
            new: list[float] = []
            cpu = {"old": [0.0, 0.0], "new": [0.0, 0.0]}  # this process, the backend
            for _ in range(args.n):  # alternate: the machine's load falls on both alike
                for side, times in (("old", old), ("new", new)):
                    c0, b0 = time.process_time(), backend_cpu(s) if args.old else 0.0
                    t = time.perf_counter()
                    if side == "new":
                        rows, _ = search_public_cases(s, PublicSearch(q=word))
                        got = [c.id for c in rows]
                    elif args.old:
                        got = [c.id for c in before(s, PublicSearch(q=word))[0]]
                    else:
                        got = plain(s, word)[:20]
                    times.append((time.perf_counter() - t) * 1000)
                    cpu[side][0] += time.process_time() - c0
                    cpu[side][1] += (backend_cpu(s) - b0) if args.old else 0.0
                    s.rollback()
                    if side == "old":
                        want = got
                assert got == want, word
            cpus = (f" | CPU ms per search, client + server: before {1000 * cpu['old'][0] / args.n:.1f} + "
                    f"{1000 * cpu['old'][1] / args.n:.1f}, after {1000 * cpu['new'][0] / args.n:.1f} + "
                    f"{1000 * cpu['new'][1] / args.n:.1f}") if args.old else ""  # fmt: skip
            print(f"{word} ({matches:,} matches): before {pct(old)} | after {pct(new)} | "
                  f"p50 ratio {statistics.median(old) / statistics.median(new):.1f}x{cpus}; {load()}", flush=True)  # fmt: skip
        if args.explain:
            for word in ("供水", "路灯不亮"):
                phrase = " ".join(grams(word))
                sql = ("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT case_id FROM case_search "
                       "WHERE doc @@ phraseto_tsquery('simple', :p) LIMIT :t")  # fmt: skip
                for (line,) in s.execute(text(sql), {"p": phrase, "t": word_search.bound(s)}):
                    print("   ", line)
        if args.explain and before:  # every statement of one search of a middle word, before and after
            notices: list[str] = []
            s.connection().connection.driver_connection.add_notice_handler(
                lambda d: notices.append(d.message_primary)
            )  # type: ignore[union-attr]
            for side in ("before", "after"):
                s.execute(text("LOAD 'auto_explain'"))
                for setting in ("log_min_duration = 0", "log_analyze = on", "log_buffers = on", "log_timing = on",
                                "log_level = notice", "log_nested_statements = on"):  # fmt: skip
                    s.execute(text(f"SET auto_explain.{setting}"))
                notices.clear()
                (
                    before(s, PublicSearch(q="物业"))
                    if side == "before"
                    else search_public_cases(s, PublicSearch(q="物业"))
                )
                s.rollback()
                print(f"--- 物业, {side}: {len(notices)} statements")
                for note in notices:
                    print(note)
    engine.dispose()


if __name__ == "__main__":
    main()
