"""The cases and history resources of the open-data package, the bulk of it: cases read by id range (the primary
key, so a range costs its own rows however many cases there are), written straight from the public projection's
fields (`cases.present.public_fields`, no view objects); a large export splits the ids across worker processes,
each writing its own part of both files, joined in id order."""

from __future__ import annotations

import csv
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from multiprocessing import get_context
from pathlib import Path
from typing import TextIO, cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minyi.cases.models import Case
from minyi.cases.present import public_fields
from minyi.db import make_engine, session_factory
from minyi.opendata.package import columns
from minyi.opendata.requests import flagged_case_rows
from minyi.uow import end_read

SPAN = 1000  # case ids read at a time: memory is bounded by one range
PER_WORKER = 20_000  # ids: a smaller export runs in this process (starting a worker costs about a second)
PIECES = 4  # id ranges per worker, so a worker that finishes early takes the next


def iso(at: datetime | None) -> str:
    """A UTC time as the package writes it (seconds, `Z`)."""
    return at.isoformat(timespec="seconds").replace("+00:00", "Z") if at else ""


def _write_range(session: Session, lo: int, hi: int, cases: TextIO, history: TextIO) -> tuple[int, int]:
    """The public cases with ids in (lo, hi] and their public history, as CSV rows (no header)."""
    case_out, history_out, n, steps = csv.writer(cases), csv.writer(history), 0, 0
    for start in range(lo, hi, SPAN):
        stmt = flagged_case_rows().where(Case.id > start, Case.id <= min(start + SPAN, hi)).order_by(Case.id)
        rows = [r for r in session.execute(stmt) if r.readable]
        for f in public_fields(session, cast(list[Case], rows)):  # rows read like cases (`present._has`)
            if f["id"] is None:
                continue
            for step, (at, action, before, after, note) in enumerate(f["timeline"], 1):
                history_out.writerow([f["id"], step, iso(at), action, before or "", after or "", note or ""])
            steps += len(f["timeline"])
            case_out.writerow([f["id"], f["kind"], f["channel"], f["title"], f["body"], f["region_code"] or "",
                               f["topic_code"] or "", f["topic"], f["status"], f["department"] or "",
                               iso(f["registered_at"]), iso(f["due_at"]), iso(f["replied_at"]), f["reply"] or "",
                               f["evaluation"] or "", f["round"]])  # fmt: skip
            n += 1
        session.expunge_all()  # nothing (masters of merged cases) stays in the identity map
        end_read(session)
    return n, steps


def _part(url: str, lo: int, hi: int, directory: str, index: int) -> tuple[int, int]:
    """A worker: the ids (lo, hi] into `.cases.<index>.part` and `.history.<index>.part`, on its own engine."""
    engine = make_engine(url)
    try:
        with (
            session_factory(engine)() as session,
            _part_path(directory, "cases", index).open("w", encoding="utf-8", newline="") as cases,
            _part_path(directory, "history", index).open("w", encoding="utf-8", newline="") as history,
        ):
            return _write_range(session, lo, hi, cases, history)
    finally:
        engine.dispose()


def _part_path(directory: str | Path, resource: str, index: int) -> Path:
    return Path(directory) / f".{resource}.{index}.part"


def _ranges(lo: int, hi: int, pieces: int) -> list[tuple[int, int]]:
    """(lo, hi] cut into `pieces` ranges of nearly equal width, in order."""
    width = -(-(hi - lo) // pieces)
    return [(a, min(a + width, hi)) for a in range(lo, hi, width)]


def _workers(session: Session, lo: int, hi: int, workers: int | None) -> tuple[str, int] | None:
    """The database URL and number of workers when this export is split, or None (done in this process)."""
    url = session.get_bind().engine.url
    n = min(workers or os.cpu_count() or 1, (hi - lo) // PER_WORKER)
    if n < 2 or (url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")):
        return None
    return url.render_as_string(hide_password=False), n


def write_cases_and_history(session: Session, directory: Path, workers: int | None = None) -> tuple[int, int]:
    """`cases.csv` and `history.csv` of the package in `directory`; returns their row counts. `workers`: at most
    this many processes (default: one per CPU); small exports, and in-memory databases, run in this process."""
    lo, hi = session.execute(select(func.min(Case.id), func.max(Case.id))).one()
    end_read(session)
    lo, hi = (lo or 1) - 1, hi or 0
    split = _workers(session, lo, hi, workers)
    with (
        (directory / "cases.csv").open("w", encoding="utf-8", newline="") as cases,
        (directory / "history.csv").open("w", encoding="utf-8", newline="") as history,
    ):
        csv.writer(cases).writerow(columns("cases"))
        csv.writer(history).writerow(columns("history"))
        if split is None:
            return _write_range(session, lo, hi, cases, history)
        url, n = split
        return _in_workers(url, n, _ranges(lo, hi, n * PIECES), directory, cases, history)


def _in_workers(
    url: str, n: int, ranges: list[tuple[int, int]], directory: Path, cases: TextIO, history: TextIO
) -> tuple[int, int]:
    """Each range by a worker (spawned: a fresh interpreter, no inherited connections or threads), its parts
    appended to the two files in id order as they come and removed (all of them if any worker fails)."""
    rows, steps = 0, 0
    try:
        with ProcessPoolExecutor(n, mp_context=get_context("spawn")) as pool:
            futures = [pool.submit(_part, url, a, b, str(directory), i) for i, (a, b) in enumerate(ranges)]
            for i, future in enumerate(futures):
                try:
                    got_rows, got_steps = future.result()
                except BaseException:
                    pool.shutdown(cancel_futures=True)
                    raise
                rows, steps = rows + got_rows, steps + got_steps
                for resource, out in (("cases", cases), ("history", history)):
                    path = _part_path(directory, resource, i)
                    with path.open(encoding="utf-8", newline="") as part:
                        shutil.copyfileobj(part, out, 1 << 20)
                    path.unlink()  # the disk holds the package once, not twice
    finally:
        for i in range(len(ranges)):
            for resource in ("cases", "history"):
                _part_path(directory, resource, i).unlink(missing_ok=True)
    return rows, steps
