"""Sealing and verifying an audit checkpoint over many cases (SQLite file): first seal, a seal after 1% changed.

Usage: PYTHONPATH=src .venv/bin/python bench/bench_checkpoint.py [--cases 1000000] [--dir /tmp/bench-checkpoint]

Cases are written straight into a migrated database with only the columns a checkpoint reads filled in
meaningfully (their chains are not built: sealing reads the case rows' heads, not the events). Prints the
seconds of the first seal (every head is a new leaf), of a second seal after 1% of the heads moved (only those
are stored), and of recomputing the newest checkpoint's root from its stored leaves, beside the seconds of a
plain `SELECT id, event_count, last_event_hash FROM cases` read of the same rows as a same-run reference.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert, select, text, update

from minyi.audit.checkpoint import checkpoint_root, do_seal_checkpoint
from minyi.cases.models import Case
from minyi.db import make_engine, session_factory, table_of
from minyi.migrate import upgrade
from minyi.models import Base  # noqa: F401 - every table registered

NOW = datetime(2026, 11, 30, tzinfo=UTC)


def _case(i: int) -> dict[str, object]:
    return {"id": i, "tracking_code": f"B{i:015d}", "kind": "complaint", "channel": "web", "title": "t", "body": "b",
            "visibility": "public", "status": "registered", "round": 1, "policy_name": "default", "urgent": False,
            "anonymous": False, "registered_at": NOW, "created_at": NOW, "updated_at": NOW, "escalation_level": 0,
            "extension_days": 0, "reply_issues": [], "needs_triage": False, "urgency_flags": [], "event_count": 1,
            "last_event_hash": hashlib.sha256(str(i).encode()).hexdigest(), "version": 1}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/bench-checkpoint"))
    args = parser.parse_args()
    shutil.rmtree(args.dir, ignore_errors=True)
    args.dir.mkdir(parents=True)
    engine = make_engine(f"sqlite:///{args.dir / 'bench.sqlite3'}")
    upgrade(engine)
    with session_factory(engine)() as s:
        for lo in range(1, args.cases + 1, 50_000):
            s.execute(insert(table_of(Case)), [_case(i) for i in range(lo, min(lo + 50_000, args.cases + 1))])
        s.commit()
        t = time.perf_counter()
        n = len(s.execute(text("SELECT id, event_count, last_event_hash FROM cases")).all())
        read = time.perf_counter() - t
        t = time.perf_counter()
        first = do_seal_checkpoint(s, NOW)
        sealed = time.perf_counter() - t
        changed = list(range(1, args.cases + 1, 100))
        s.execute(update(Case), [{"id": i, "event_count": 2, "last_event_hash": "e" * 64} for i in changed])
        s.commit()
        t = time.perf_counter()
        second = do_seal_checkpoint(s, NOW)
        resealed = time.perf_counter() - t
        assert first is not None and second is not None
        t = time.perf_counter()
        assert checkpoint_root(s, second) == second.root
        recomputed = time.perf_counter() - t
        leaves = s.scalar(text("SELECT count(*) FROM audit_checkpoint_leaves"))
        s.execute(select(1))
    print(f"cases {n}: plain read of the heads {read:.1f}s (reference)")
    print(f"first seal {sealed:.1f}s ({first.changed_count} leaves stored), second seal after 1% changed "
          f"{resealed:.1f}s ({second.changed_count} stored), root recomputed from leaves {recomputed:.1f}s; "
          f"{leaves} leaf rows in all")  # fmt: skip


if __name__ == "__main__":
    main()
