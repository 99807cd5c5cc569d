"""Exporting the open-data package from many public cases (SQLite file): seconds and memory, flat in N.

Usage: PYTHONPATH=src .venv/bin/python bench/bench_opendata_export.py [--cases 100000 200000] [--dir /tmp/bench-od]
       [--stored-only]

Cases are written straight into a migrated database (public, accepted, with a reply and personal data to mask;
their event chains are not built, so the history resource is empty). For each size it prints the seconds of
`export_package` and the peak Python memory it allocated (tracemalloc, reset before the export), beside the
seconds of a plain `SELECT id, title, body, reply_text FROM cases` written with the csv module as a same-run
reference. Flat memory: the peak must not grow with N.

Each size is exported twice: first with no masked text stored on the cases (every title and body masked again,
as before issue 13's second session), then after storing it as intake and the reply action do (`public_text`,
`masked_reply` and this build's `text_revision`), when the export reads the stored title, body and reply instead
of masking them again. `--stored-only` skips the first (at 100,000 cases it takes most of an hour here).
"""

from __future__ import annotations

import argparse
import csv
import resource
import shutil
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert, text

from minyi.cases.models import Case
from minyi.cases.public_reply import masked_reply
from minyi.cases.redaction import text_revision
from minyi.cases.search import public_text
from minyi.db import make_engine, session_factory, table_of
from minyi.migrate import upgrade
from minyi.models import Base  # noqa: F401 - every table registered
from minyi.opendata.export import export_package

NOW = datetime(2026, 11, 30, tzinfo=UTC)
BODY = "我叫张伟国，手机13812345678，小区路灯坏了一个月，晚上出行很不方便，请尽快修理。" * 3


def _case(i: int) -> dict[str, object]:
    return {"id": i, "tracking_code": f"B{i:015d}", "kind": "complaint", "channel": "web", "title": f"路灯坏了{i % 100}",
            "body": BODY, "visibility": "public", "status": "replied", "round": 1, "policy_name": "default",
            "urgent": False, "anonymous": False, "registered_at": NOW, "created_at": NOW, "updated_at": NOW,
            "escalation_level": 0, "extension_days": 0, "reply_issues": [], "needs_triage": False,
            "urgency_flags": [], "event_count": 0, "version": 1, "topic_code": "01", "replied_at": NOW,
            "reply_text": "已联系张伟国（13812345678），路灯已修复。"}  # fmt: skip


def run(n: int, root: Path, labels: tuple[str, ...] = ("masked again", "stored text")) -> None:
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
    for label in labels:
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
              f"peak traced memory {peak / 1e6:.1f} MB, max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:.0f} MB")  # fmt: skip


def _store_public_text(engine: object, n: int) -> None:
    """Mask each case's title, body and reply and store them with the revision, as intake and the reply do
    (the bench's texts repeat, so each distinct text is masked once)."""
    rev = text_revision()
    texts: dict[str, tuple[str, str]] = {}
    replies: dict[str, str] = {}
    with engine.begin() as conn:  # type: ignore[attr-defined]
        for lo in range(1, n + 1, 5_000):
            rows = conn.execute(text("SELECT id, title, body, reply_text FROM cases WHERE id >= :lo AND id < :hi"),
                                {"lo": lo, "hi": lo + 5_000}).all()  # fmt: skip
            values = []
            for i, t, b, r in rows:
                pt, pb = texts.get(t + b) or texts.setdefault(t + b, public_text(t, b, None))
                pr = replies.get(r) or replies.setdefault(r, masked_reply(r, None))
                values.append({"id": i, "t": pt, "b": pb, "r": rev, "pr": pr})
            conn.execute(text("UPDATE cases SET public_title = :t, public_body = :b, public_text_rev = :r, "
                              "public_reply = :pr, public_reply_rev = :r WHERE id = :id"), values)  # fmt: skip


def compare_rows(n: int, root: Path, rounds: int = 2) -> None:
    """The public projection of the same cases read as case objects (the API's path) and as plain rows (the
    export's path since issue 13's third session), alternated in one process: seconds each, and the ratio."""
    from minyi.cases.present import public_views
    from minyi.opendata.export import BATCH
    from minyi.opendata.requests import public_case_rows, public_cases

    engine = make_engine(f"sqlite:///{root / str(n) / 'bench.sqlite3'}")
    took = {"objects": 0.0, "rows": 0.0}
    for _ in range(rounds):
        for label in took:
            with session_factory(engine)() as s:
                t, after = time.perf_counter(), 0
                while True:
                    if label == "objects":
                        batch: list = list(
                            s.scalars(public_cases().where(Case.id > after).order_by(Case.id).limit(BATCH))
                        )  # type: ignore[type-arg]
                    else:
                        batch = list(
                            s.execute(
                                public_case_rows().where(Case.id > after).order_by(Case.id).limit(BATCH)
                            )
                        )
                    if not batch:
                        break
                    after = batch[-1].id
                    public_views(s, batch)
                    s.expunge_all()
                took[label] += time.perf_counter() - t
    print(f"cases {n}, public_views over {rounds} rounds: case objects {took['objects']:.1f}s, rows {took['rows']:.1f}s "
          f"(rows take {took['rows'] / took['objects']:.2f}x the time of objects)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, nargs="+", default=[100_000, 200_000])
    parser.add_argument("--dir", type=Path, default=Path("/tmp/bench-od"))
    parser.add_argument(
        "--stored-only", action="store_true", help="skip the export that masks everything again"
    )
    args = parser.parse_args()
    shutil.rmtree(args.dir, ignore_errors=True)
    for n in args.cases:
        (args.dir / str(n)).mkdir(parents=True)
        run(n, args.dir, ("stored text",) if args.stored_only else ("masked again", "stored text"))
        if args.compare_rows:
            compare_rows(n, args.dir)


if __name__ == "__main__":
    main()
