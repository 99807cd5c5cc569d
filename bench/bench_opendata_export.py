"""Exporting the open-data package from many public cases (SQLite file): seconds and memory, flat in N.

Usage: PYTHONPATH=src .venv/bin/python bench/bench_opendata_export.py [--cases 100000 200000] [--dir /tmp/bench-od]
       [--stored-only] [--workers N] [--no-memory] [--reuse] [--compare-workers N]

Cases are written straight into a migrated database (public, replied, with personal data to mask, and three
public history steps each: registered, accepted, replied with the reply as its note; the hash chain is not built).
For each size it prints the seconds of `export_package` (wall clock, and CPU of this process and its workers) and,
from a second export traced by tracemalloc (which slows Python several times: the timed export is untraced), the
peak Python memory it allocated in this process, beside the seconds of a plain
`SELECT id, title, body, reply_text FROM cases` written with the csv module as a same-run reference, and
`uptime`'s load. Flat memory: the peak must not grow with N. `--workers N`: at most N worker processes (the
export's default is one per CPU; `--workers 1` is the single-process path).

Each size is exported twice: first with no masked text stored on the cases (every title and body masked again,
as before issue 13's second session), then after storing it as intake and the reply action do (`public_text`,
`masked_reply` and this build's `text_revision`), when the export reads the stored title, body and reply instead
of masking them again. `--stored-only` skips the first (at 100,000 cases it takes most of an hour here).
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, insert, text

from minyi.cases.models import Case, CaseEvent
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


def _events(i: int) -> list[dict[str, object]]:
    steps = [("register", None, "registered", None), ("accept", "registered", "accepted", None),
             ("reply", "in_progress", "replied", _case(i)["reply_text"])]  # fmt: skip
    return [{"id": 3 * i + k, "case_id": i, "seq": k + 1, "at": NOW, "actor_label": "bench", "actor_role": "handler",
             "action": a, "from_status": f, "to_status": t, "note": note, "data": {}, "public": True,
             "prev_hash": "0" * 64, "hash": "0" * 64} for k, (a, f, t, note) in enumerate(steps)]  # fmt: skip


def _cpu() -> float:
    """CPU seconds of this process and its finished workers."""
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def run(
    n: int,
    root: Path,
    labels: tuple[str, ...] = ("masked again", "stored text"),
    workers: int | None = None,
    traced: bool = True,
    reuse: bool = False,
) -> None:
    folder = root / str(n)
    engine = make_engine(f"sqlite:///{folder / 'bench.sqlite3'}")
    if not reuse:  # else the cases (and their stored masked text) of an earlier run
        _generate(engine, n)
    t, cpu = time.perf_counter(), _cpu()
    with engine.connect() as conn, (folder / "plain.csv").open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        for row in conn.execution_options(yield_per=2000).execute(
            text("SELECT id, title, body, reply_text FROM cases")
        ):
            out.writerow(row)
    plain, plain_cpu = time.perf_counter() - t, _cpu() - cpu
    for label in labels:
        if label == "stored text" and not reuse:
            _store_public_text(engine, n)
        with session_factory(engine)() as s:
            load = os.getloadavg()[0]
            t, cpu = time.perf_counter(), _cpu()
            counts = export_package(s, folder / "package", **({"workers": workers} if workers else {}))
            took, took_cpu = time.perf_counter() - t, _cpu() - cpu
        peak = 0
        if traced:  # again, traced (tracemalloc slows Python several times)
            with session_factory(engine)() as s:
                tracemalloc.start()
                export_package(s, folder / "traced", **({"workers": workers} if workers else {}))
                _, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
        assert counts["cases"] == n
        size = sum(p.stat().st_size for p in (folder / "package").iterdir()) / 1e6
        print(f"cases {n}, {label}, workers {workers or 'default'}: plain csv read {plain:.1f}s, CPU {plain_cpu:.1f}s "
              f"(reference); export {took:.1f}s ({n / took:,.0f} cases/s, {took / plain:.1f}x the reference), "
              f"CPU {took_cpu:.1f}s ({took_cpu / plain_cpu:.1f}x), {counts['history']} history rows, {size:.0f} MB, "
              f"load {load:.1f} -> {os.getloadavg()[0]:.1f}, "
              f"peak traced memory {peak / 1e6:.1f} MB, max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:.0f} MB")  # fmt: skip


def _generate(engine: Engine, n: int) -> None:
    upgrade(engine)
    with engine.begin() as conn:
        for lo in range(1, n + 1, 20_000):
            conn.execute(insert(table_of(Case)), [_case(i) for i in range(lo, min(lo + 20_000, n + 1))])
            events = [e for i in range(lo, min(lo + 20_000, n + 1)) for e in _events(i)]
            conn.execute(insert(table_of(CaseEvent)), events)


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


def compare_rows(n: int, root: Path, rounds: int = 2, limit: int = 10_000) -> None:
    """The public projection of the same cases read as case objects (the API's path) and as plain rows (the
    export's path since issue 13's third session), alternated in one process: seconds each, and the ratio."""
    from minyi.cases.present import public_views

    BATCH = 500  # noqa: N806 - the export's batch when this was measured
    from minyi.opendata.requests import public_case_rows, public_cases

    engine = make_engine(f"sqlite:///{root / str(n) / 'bench.sqlite3'}")
    took = {"objects": 0.0, "rows": 0.0}
    for _ in range(rounds):
        for label in took:
            with session_factory(engine)() as s:
                t, after = time.perf_counter(), 0
                while after < limit:
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
    print(f"the first {min(n, limit)} of {n} cases, public_views over {rounds} rounds: case objects {took['objects']:.1f}s, rows {took['rows']:.1f}s "
          f"(rows take {took['rows'] / took['objects']:.2f}x the time of objects)")  # fmt: skip


def compare_workers(n: int, root: Path, workers: int, rounds: int = 2) -> None:
    """The export of the same database in one process and with `workers` processes, alternated: wall and CPU."""
    engine = make_engine(f"sqlite:///{root / str(n) / 'bench.sqlite3'}")
    for _ in range(rounds):
        for w in (1, workers):
            with session_factory(engine)() as s:
                load, t, cpu = os.getloadavg()[0], time.perf_counter(), _cpu()
                export_package(s, root / str(n) / f"workers-{w}", workers=w)
                took, took_cpu = time.perf_counter() - t, _cpu() - cpu
            print(
                f"cases {n}, workers {w}: {took:.1f}s ({n / took:,.0f} cases/s), CPU {took_cpu:.1f}s, load {load:.1f}"
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, nargs="+", default=[100_000, 200_000])
    parser.add_argument("--dir", type=Path, default=Path("/tmp/bench-od"))
    parser.add_argument(
        "--stored-only", action="store_true", help="skip the export that masks everything again"
    )
    parser.add_argument(
        "--compare-rows",
        action="store_true",
        help="also time the projection of 10,000 cases: objects vs rows",
    )
    parser.add_argument("--workers", type=int, help="at most this many worker processes (default: per CPU)")
    parser.add_argument("--compare-workers", type=int, metavar="N", help="then alternate 1 and N workers")
    parser.add_argument(
        "--reuse", action="store_true", help="export the database an earlier run left in --dir"
    )
    parser.add_argument("--no-memory", action="store_true", help="skip the traced export (time only)")
    args = parser.parse_args()
    if not args.reuse:
        shutil.rmtree(args.dir, ignore_errors=True)
    for n in args.cases:
        (args.dir / str(n)).mkdir(parents=True, exist_ok=args.reuse)
        run(
            n,
            args.dir,
            ("stored text",) if args.stored_only or args.reuse else ("masked again", "stored text"),
            args.workers,
            traced=not args.no_memory,
            reuse=args.reuse,
        )
        if args.compare_workers:
            compare_workers(n, args.dir, args.compare_workers)
        if args.compare_rows:
            compare_rows(n, args.dir)


if __name__ == "__main__":
    main()
