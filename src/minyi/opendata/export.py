"""`minyi opendata export DIR`: the open-data package, streamed in batches through the public projection."""

from __future__ import annotations

import csv
import json
import os
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.cases.models import Case
from minyi.cases.present import public_views
from minyi.db import utcnow
from minyi.departments.models import Department, Region
from minyi.opendata.package import RESOURCES, columns, descriptor
from minyi.opendata.parquet import write_parquet
from minyi.opendata.participation import (
    consultation_answer_rows,
    consultation_rows,
    suggestion_answer_rows,
    suggestion_rows,
)
from minyi.opendata.rectification import item_rows, report_rows
from minyi.opendata.requests import public_case_rows
from minyi.settings import get_settings
from minyi.uow import end_read

BATCH = 500


def _iso(at: datetime | None) -> str:
    return at.replace(microsecond=0).isoformat().replace("+00:00", "Z") if at else ""


def _public_batches(session: Session) -> Iterator[list[Any]]:
    """Public views of the public cases, BATCH at a time in id order (keyset: memory stays flat), read as plain
    rows (with the stored masked text, used when current): no case object is built."""
    after = 0
    while True:
        stmt = public_case_rows().where(Case.id > after).order_by(Case.id).limit(BATCH)
        batch = session.execute(stmt).all()
        if not batch:
            return
        after = batch[-1].id
        yield public_views(session, cast(list[Case], batch))  # rows read like cases (`present._has`)
        session.expunge_all()  # nothing (masters of merged cases) stays in the identity map
        end_read(session)


def _write(path: Path, resource: str, rows: Iterator[list[Any]]) -> int:
    n = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(columns(resource))
        for row in rows:
            out.writerow(["" if v is None else v for v in row])
            n += 1
    return n


def _cases_and_history(session: Session, directory: Path) -> tuple[int, int]:
    history_rows = 0
    with (directory / "history.csv").open("w", encoding="utf-8", newline="") as hf:
        history = csv.writer(hf)
        history.writerow(columns("history"))

        def cases() -> Iterator[list[Any]]:
            nonlocal history_rows
            for views in _public_batches(session):
                for v in views:
                    if v.id is None:
                        continue
                    for step, e in enumerate(v.timeline, 1):
                        history.writerow([v.id, step, _iso(e.at), e.action, e.from_status or "", e.to_status or "",
                                          e.note or ""])  # fmt: skip
                        history_rows += 1
                    yield [v.id, v.kind, v.channel, v.title, v.body, v.region_code, v.topic_code, v.topic, v.status,
                           v.department, _iso(v.registered_at), _iso(v.due_at), _iso(v.replied_at), v.reply,
                           v.evaluation, v.round]  # fmt: skip

        case_rows = _write(directory / "cases.csv", "cases", cases())
    return case_rows, history_rows


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


def export_package(session: Session, directory: Path, now: datetime | None = None) -> dict[str, int]:
    """Write the package into `directory` (created; files replaced whole); returns the rows per resource."""
    directory.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    counts["cases"], counts["history"] = _cases_and_history(session, directory)
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
        json.dumps(descriptor(_iso(now or utcnow())), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    os.replace(tmp, directory / "datapackage.json")
    return counts


def published_dir() -> Path:
    """Where the published copy served at /open-data/ lives."""
    return get_settings().data_dir / "open-data"


def publish(session: Session, now: datetime | None = None) -> dict[str, int]:
    """Regenerate the published copy (a job: `minyi opendata publish`); readers see the old or the new, whole."""
    target = published_dir()
    fresh = target.with_name("open-data.new")
    shutil.rmtree(fresh, ignore_errors=True)
    counts = export_package(session, fresh, now)
    old = target.with_name("open-data.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(fresh, target)
    shutil.rmtree(old, ignore_errors=True)
    return counts
