"""`minyi import`: hotline and letters-and-visits exports (CSV, XLSX) into cases, in streamed batches."""

from __future__ import annotations

import csv
import json
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.accounts.roles import Role
from minyi.cases.events import events_written
from minyi.cases.rules import Status
from minyi.cases.store import NewCase, prepare_cases
from minyi.cases.tracking import new_code
from minyi.db import session_factory, utcnow
from minyi.departments.models import Department, Region
from minyi.intake_import.bulk import write_prepared
from minyi.intake_import.fast import ImportRows
from minyi.intake_import.pool import parse_rows
from minyi.intake_import.rows import ImportRow, RowError, resolve_columns
from minyi.intake_import.steering import steer_reports
from minyi.understanding import jobs
from minyi.understanding.apply import enrich_batch, understand_text
from minyi.understanding.worker import BATCH as JOB_SIZE
from minyi.uow import end_read, write

BATCH = 2000
MAX_KEPT_ERRORS = 10_000
IMPORTER = Actor(role=Role.system, label="import")


@dataclass
class ImportResult:
    """What an import did, row by row where it matters."""

    rows: int = 0
    imported: int = 0
    duplicates: int = 0
    reports: int = 0  # misconduct reports: made sealed reports, never cases (intake_import.steering)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    seconds: float = 0.0

    def reject(self, err: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_KEPT_ERRORS:
            self.errors.append(err)

    def write_errors(self, path: Path) -> None:
        with open(path, "w", encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f)
            w.writerow(["row", "reason"])
            w.writerows((e.row, e.reason) for e in self.errors)


def read_rows(path: Path) -> Iterator[list[Any]]:
    """Rows of a CSV (UTF-8 with or without BOM, or GB18030) or of the first sheet of an XLSX, header first."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        from python_calamine import CalamineWorkbook

        wb = CalamineWorkbook.from_path(str(path))
        yield from wb.get_sheet_by_index(0).iter_rows()
        return
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            with open(path, encoding=encoding, newline="") as f:
                f.read(65536)
        except UnicodeDecodeError:
            continue
        with open(path, encoding=encoding, newline="") as f:
            yield from csv.reader(f)
        return
    raise ValueError("file is neither UTF-8 nor GB18030 text")


class _Lookups:
    """Regions and departments by name or code, loaded once per import."""

    def __init__(self, session: Session) -> None:
        regions = session.execute(select(Region.code, Region.name)).all()
        self.region_codes = {c for c, _ in regions}
        self.region_by_name = {n: c for c, n in regions}
        depts = session.execute(select(Department.id, Department.name, Department.code)).all()
        self.dept_by_name = {n: i for i, n, _ in depts} | {c: i for i, _, c in depts}


def _store_batch(session: Session, batch: list[tuple[int, ImportRow]], source: str, result: ImportResult,
                 enrich: bool, lean: ImportRows | None) -> None:  # fmt: skip
    """Insert one batch in one unit of work; rows already imported (same source and reference) are skipped."""
    with write(session, IMPORTER):
        _store_fresh(session, batch, source, result, enrich, lean)


def _store_fresh(session: Session, batch: list[tuple[int, ImportRow]], source: str, result: ImportResult,
                 enrich: bool, lean: ImportRows | None) -> None:  # fmt: skip
    batch, reports, seen_reports, refused = steer_reports(session, batch, source)
    result.reports, result.duplicates = result.reports + reports, result.duplicates + seen_reports
    for err in refused:
        result.reject(err)
    existing = _present(session, source, [r.ref for _, r in batch])
    fresh: list[ImportRow] = []
    seen: set[str] = set()
    for _, r in batch:
        if r.ref in existing or r.ref in seen:
            result.duplicates += 1
        else:
            seen.add(r.ref)
            fresh.append(r)
    if not fresh:
        return
    now = utcnow()
    if lean is not None:
        ids = _write_lean(session, lean, fresh, now)
    else:
        ids = _write_prepared(session, fresh, source, enrich, now)
    if not enrich and jobs.uses_queue(session):  # the queue's workers understand and mask them, in batches
        for i in range(0, len(ids), JOB_SIZE):
            jobs.enqueue(session, ids[i : i + JOB_SIZE])
    result.imported += len(fresh)


_PRESENT = {  # the batch's references as one parameter (an array, a JSON list), not one parameter each
    "postgresql": "SELECT external_ref FROM cases WHERE external_source = :source AND external_ref = ANY(:refs)",
    "sqlite": "SELECT external_ref FROM cases WHERE external_source = :source "
    "AND external_ref IN (SELECT value FROM json_each(:refs))",
}


def _present(session: Session, source: str, refs: list[str]) -> set[str]:
    """The references of this batch already imported from this source (one indexed look-up each)."""
    dialect = session.get_bind().dialect.name
    given: Any = refs if dialect == "postgresql" else json.dumps(refs)
    return set(session.scalars(text(_PRESENT[dialect]), {"source": source, "refs": given}))


def _write_lean(session: Session, lean: ImportRows, fresh: list[ImportRow], now: datetime) -> list[int]:
    out = lean.prepare(session, fresh, now)
    lean.write(session, out, now)
    events_written(session, out.event_values, imported=True)
    return out.ids


def _write_prepared(session: Session, fresh: list[ImportRow], source: str, enrich: bool,
                    now: datetime) -> list[int]:  # fmt: skip
    """Through `cases.store.prepare_cases`: with the understanding, or as the reference the lean rows match."""
    items = []
    enrichments = enrich_batch([(r.title, r.text) for r in fresh]) if enrich else [None] * len(fresh)
    for r, enrichment in zip(fresh, enrichments, strict=True):
        closed = r.reply is not None
        values: dict[str, Any] = {
            "tracking_code": new_code(), "kind": r.kind, "channel": r.channel, "title": r.title, "body": r.text,
            "region_code": r.region_code, "topic_code": r.topic_code, "department_id": r.department_id,
            "status": (Status.closed if closed else Status.registered).value, "external_source": source,
            "external_ref": r.ref, "registered_at": r.time, "reply_text": r.reply,
            "replied_at": r.reply_time if closed else None, "closed_at": r.reply_time if closed else None,
        }  # fmt: skip
        person = {"name": r.caller, "phone": r.phone} if r.caller or r.phone else None
        item = NewCase(values, IMPORTER, r.time, {"source": source, "ref": r.ref}, person)
        if enrich:  # repeats are not searched in bulk imports; the bands are stored for later messages
            u = understand_text(session, r.title, r.text, region_code=r.region_code, topic_code=None,
                                with_repeats=False, enrichment=enrichment)  # fmt: skip
            values.update(u.fields)
            item.keys = u.keys
        items.append(item)
    prepared = prepare_cases(session, items, now, mask=enrich)  # else masked by the understanding job
    write_prepared(session, prepared)
    return prepared.ids


def import_file(engine: Engine, path: Path, *, source: str = "hotline", mapping: str | None = None,
                enrich: bool = True, progress: bool = False, batch_size: int = BATCH,
                lean: bool = True, workers: int = 1) -> ImportResult:  # fmt: skip
    """Import a file: good rows in batches (one transaction each), bad rows reported; safe to re-run or kill.

    Without the understanding, the rows go straight to tuples (`fast.ImportRows`); `lean=False` takes them
    through `cases.store.prepare_cases` instead (the reference the tests and the benchmark compare with).
    `workers` > 1: the rows are read and checked in that many worker processes (`pool.parse_rows`), and this
    process checks duplicates and writes, in file order.
    """
    started = time.perf_counter()
    result = ImportResult()
    rows = read_rows(Path(path))
    header = next(rows, None)
    if header is None:
        return result
    columns = resolve_columns([str(h or "") for h in header], mapping)
    with session_factory(engine)() as session:
        lookups = _Lookups(session)
        writer = ImportRows(session, source, IMPORTER) if lean and not enrich else None
        end_read(session)
        batch: list[tuple[int, ImportRow]] = []
        for line_no, parsed in parse_rows(rows, columns, lookups, workers):
            result.rows += 1
            if isinstance(parsed, RowError):
                result.reject(parsed)
            else:
                batch.append((line_no, parsed))
            if len(batch) >= batch_size:
                _flush(session, batch, source, result, enrich, writer)
                batch = []
                if progress:
                    rate = result.rows / (time.perf_counter() - started)
                    print(f"\r{result.rows:,} rows read, {result.imported:,} imported, {rate:,.0f} rows/s",
                          end="", file=sys.stderr, flush=True)  # fmt: skip
        if batch:
            _flush(session, batch, source, result, enrich, writer)
    if progress and result.rows >= batch_size:
        print(file=sys.stderr)
    result.seconds = time.perf_counter() - started
    return result


def _flush(session: Session, batch: list[tuple[int, ImportRow]], source: str, result: ImportResult,
           enrich: bool, lean: ImportRows | None) -> None:  # fmt: skip
    try:
        _store_batch(session, batch, source, result, enrich, lean)
    except IntegrityError:  # a parallel import of the same file got there first: recount against the database
        _store_batch(session, batch, source, result, enrich, lean)
