"""The public word search on the scale database: the plain single query (before) against the bounded search
(`portal.word_search`, after), alternated query by query in one process, beside a key lookup.

Usage: python bench/bench_search_pg.py [--n 40] [--explain]
Needs `bench/pgscale.py start` and `bench/gen_pg_scale.py N` (no replica: it reads the primary).
Prints p50/p95 wall per word and shape, the same-run reference (one case by id) and the load average.
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--explain", action="store_true")
    args = ap.parse_args()
    from sqlalchemy import func, select, text

    import minyi.models  # noqa: F401
    from minyi.cases.models import Case
    from minyi.cases.search import grams
    from minyi.db import make_engine, session_factory
    from minyi.portal import word_search
    from minyi.portal.queries import PublicSearch, search_public_cases

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
            for _ in range(args.n):  # alternate: the machine's load falls on both alike
                t = time.perf_counter()
                want = plain(s, word)
                old.append((time.perf_counter() - t) * 1000)
                s.rollback()
                t = time.perf_counter()
                rows, _ = search_public_cases(s, PublicSearch(q=word))
                new.append((time.perf_counter() - t) * 1000)
                s.rollback()
                assert [c.id for c in rows] == want[:20], word
            print(f"{word} ({matches:,} matches): before {pct(old)} | after {pct(new)} | "
                  f"p50 ratio {statistics.median(old) / statistics.median(new):.1f}x; {load()}", flush=True)  # fmt: skip
        if args.explain:
            for word in ("供水", "路灯不亮"):
                phrase = " ".join(grams(word))
                sql = ("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT case_id FROM case_search "
                       "WHERE doc @@ phraseto_tsquery('simple', :p) LIMIT :t")  # fmt: skip
                for (line,) in s.execute(text(sql), {"p": phrase, "t": word_search.bound(s)}):
                    print("   ", line)
    engine.dispose()


if __name__ == "__main__":
    main()
