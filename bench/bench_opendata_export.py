"""Exporting the open-data package from many public cases (SQLite file): seconds and memory, flat in N.

Usage: PYTHONPATH=src .venv/bin/python bench/bench_opendata_export.py [--cases 100000 200000] [--dir /tmp/bench-od]

Cases are written straight into a migrated database (public, accepted, with a reply and personal data to mask;
their event chains are not built, so the history resource is empty). For each size it prints the seconds of
`export_package` and the peak Python memory it allocated (tracemalloc, reset before the export), beside the
seconds of a plain `SELECT id, title, body, reply_text FROM cases` written with the csv module as a same-run
reference. Flat memory: the peak must not grow with N.

Each size is exported twice: first with no masked text stored on the cases (every title and body masked again,
as before issue 13's second session), then after storing it as intake does (`public_text` and this build's
`text_revision`), when the export reads the stored text instead of masking it again.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert, text

from minyi.cases.models import Case
from minyi.cases.redaction import text_revision
from minyi.cases.search import public_text
from minyi.db import make_engine, session_factory, table_of
from minyi.migrate import upgrade
from minyi.models import Base  # noqa: F401 - every table registered
from minyi.opendata.export import export_package

NOW = datetime(2026, 11, 30, tzinfo=UTC)
BODY = "我叫张伟国，手机13812345678，小区路灯坏了一个月，晚上出行很不方便，请尽快修理。" * 3


def _case(i: int) -> dict[str, object]:
    return {"id": i, "tracking_code": f"B{i:015d}", "kind": "complaint", "channel": "web", "title": f"路灯坏了{i}",
            "body": BODY, "visibility": "public", "status": "replied", "round": 1, "policy_name": "default",
            "urgent": False, "anonymous": False, "registered_at": NOW, "created_at": NOW, "updated_at": NOW,
            "escalation_level": 0, "extension_days": 0, "reply_issues": [], "needs_triage": False,
            "urgency_flags": [], "event_count": 0, "version": 1, "topic_code": "01", "replied_at": NOW,
            "reply_text": "已联系张伟国（13812345678），路灯已修复。"}  # fmt: skip


def run(n: int, root: Path) -> None:
    folder = root / str(n)
    engine = make_engine(f"sqlite:///{folder / 'bench.sqlite3'}")
    upgrade(engine)
    with engine.begin() as conn:
        for lo in range(1, n + 1, 20_000):
            conn.execute(insert(table_of(Case)), [_case(i) for i in range(lo, min(lo + 20_000, n + 1))])
    t = time.perf_counter()
    with engine.connect() as conn, (folder / "plain.csv").open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        for row in conn.execution_options(yield_per=2000).execute(
            text("SELECT id, title, body, reply_text FROM cases")
        ):
            out.writerow(row)
    plain = time.perf_counter() - t
    for label in ("masked again", "stored text"):
        if label == "stored text":
            _store_public_text(engine, n)
        with session_factory(engine)() as s:
            tracemalloc.start()
            t = time.perf_counter()
            counts = export_package(s, folder / "package")
            took = time.perf_counter() - t
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        assert counts["cases"] == n
        size = sum(p.stat().st_size for p in (folder / "package").iterdir()) / 1e6
        print(f"cases {n}, {label}: plain csv read {plain:.1f}s (reference); export {took:.1f}s "
              f"({n / took:,.0f} cases/s, {took / plain:.0f}x the reference, {size:.0f} MB), "
              f"peak traced memory {peak / 1e6:.1f} MB")  # fmt: skip


def _store_public_text(engine: object, n: int) -> None:
    """Mask each case's title and body once and store them with the revision, as intake does."""
    rev = text_revision()
    with engine.begin() as conn:  # type: ignore[attr-defined]
        for lo in range(1, n + 1, 5_000):
            rows = conn.execute(text("SELECT id, title, body FROM cases WHERE id >= :lo AND id < :hi"),
                                {"lo": lo, "hi": lo + 5_000}).all()  # fmt: skip
            values = [
                {"id": i, "t": pt, "b": pb, "r": rev}
                for i, t, b in rows
                for pt, pb in [public_text(t, b, None)]
            ]
            conn.execute(text("UPDATE cases SET public_title = :t, public_body = :b, public_text_rev = :r WHERE id = :id"),
                         values)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, nargs="+", default=[100_000, 200_000])
    parser.add_argument("--dir", type=Path, default=Path("/tmp/bench-od"))
    args = parser.parse_args()
    shutil.rmtree(args.dir, ignore_errors=True)
    for n in args.cases:
        (args.dir / str(n)).mkdir(parents=True)
        run(n, args.dir)


if __name__ == "__main__":
    main()
