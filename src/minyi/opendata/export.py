"""`minyi opendata export DIR`: the open-data package, streamed: the cases by `case_export`, the small tables here."""

from __future__ import annotations

import csv
import json
import os
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.cases.models import Case
from minyi.db import utcnow
from minyi.departments.models import Department, Region
from minyi.opendata.case_export import iso, write_cases_and_history
from minyi.opendata.package import RESOURCES, columns, descriptor
from minyi.opendata.parquet import write_parquet
from minyi.opendata.participation import (
    consultation_answer_rows,
    consultation_rows,
    suggestion_answer_rows,
    suggestion_rows,
)
from minyi.opendata.rectification import item_rows, report_rows
from minyi.settings import get_settings
from minyi.uow import end_read


def _write(path: Path, resource: str, rows: Iterator[list[Any]]) -> int:
    n = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(columns(resource))
        for row in rows:
            out.writerow(["" if v is None else v for v in row])
            n += 1
    return n


def _monthly(session: Session) -> Iterator[list[Any]]:
    """Per department and month registered (local time): received, replied, on time, evaluated, satisfied (counts only)."""
    rows = session.execute(
        select(Case.department_id, Case.registered_at, Case.replied_at, Case.handling_due_at, Case.evaluation)
        .where(Case.department_id.is_not(None))
        .execution_options(yield_per=2000)
    )
    local = ZoneInfo(get_settings().timezone)  # a month as the city counts it
    months: dict[tuple[int | None, str], list[int]] = {}
    for dept, registered, replied, due, evaluation in rows:
        m = months.setdefault((dept, registered.astimezone(local).strftime("%Y-%m")), [0, 0, 0, 0, 0])
        m[0] += 1
        m[1] += replied is not None
        m[2] += replied is not None and due is not None and replied <= due
        m[3] += evaluation is not None
        m[4] += evaluation in ("satisfied", "partly")
    end_read(session)
    for (dept, month), figures in sorted(months.items()):
        yield [dept, month, *figures]


def export_package(
    session: Session, directory: Path, now: datetime | None = None, *, workers: int | None = None
) -> dict[str, int]:
    """Write the package into `directory` (created; files replaced whole); returns the rows per resource.
    `workers`: at most this many processes for the cases (default: one per CPU; small exports use none)."""
    directory.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    counts["cases"], counts["history"] = write_cases_and_history(session, directory, workers)
    regions = session.execute(
        select(Region.code, Region.name, Region.level, Region.parent_code).order_by(Region.code)
    )
    counts["regions"] = _write(directory / "regions.csv", "regions", (list(r) for r in regions))
    depts = session.execute(
        select(
            Department.id, Department.code, Department.name, Department.name_en, Department.region_code
        ).order_by(Department.id)
    )
    counts["departments"] = _write(directory / "departments.csv", "departments", (list(r) for r in depts))
    counts["scoreboard_monthly"] = _write(
        directory / "scoreboard_monthly.csv", "scoreboard_monthly", _monthly(session)
    )
    for name, rows in (("consultations", consultation_rows), ("consultation_answers", consultation_answer_rows),
                       ("suggestions", suggestion_rows), ("suggestion_answers", suggestion_answer_rows),
                       ("rectification_reports", report_rows), ("rectification_items", item_rows)):  # fmt: skip
        counts[name] = _write(directory / f"{name}.csv", name, rows(session))
    end_read(session)
    for name in RESOURCES:
        write_parquet(directory, name)
    tmp = directory / "datapackage.json.tmp"
    tmp.write_text(
        json.dumps(descriptor(iso(now or utcnow())), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    os.replace(tmp, directory / "datapackage.json")
    return counts


def published_dir() -> Path:
    """Where the published copy served at /open-data/ lives."""
    return get_settings().data_dir / "open-data"


def publish(session: Session, now: datetime | None = None, *, workers: int | None = None) -> dict[str, int]:
    """Regenerate the published copy (a job: `minyi opendata publish`) by `export_package`, the same fast path;
    readers see the old or the new, whole."""
    target = published_dir()
    fresh = target.with_name("open-data.new")
    shutil.rmtree(fresh, ignore_errors=True)
    counts = export_package(session, fresh, now, workers=workers)
    old = target.with_name("open-data.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(fresh, target)
    shutil.rmtree(old, ignore_errors=True)
    return counts
