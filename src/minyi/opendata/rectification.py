"""Rows of the open-data package for the public rectification reports (整改情况通报): only rounds whose report is
published, read from the report as published (never the live items, letters, calls or clues), every text masked
again by the inspection report's own sentence-by-sentence redaction (a newer detector may find more)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.inspection.models import InspectionRound
from minyi.inspection.report import read_report, redact

STATUSES = ("accepted", "reported", "rejected", "open")


def _published(session: Session) -> Iterator[dict[str, Any]]:
    """Each published report, in round order."""
    stmt = (
        select(InspectionRound)
        .where(InspectionRound.report_json.is_not(None), InspectionRound.report_published_at.is_not(None))
        .order_by(InspectionRound.id)
        .execution_options(yield_per=50)
    )
    for rnd in session.scalars(stmt):
        report = read_report(rnd)
        if report is not None:
            yield report


def report_rows(session: Session) -> Iterator[list[Any]]:
    """One row per published report: the round, its window, the findings, the items counted by status."""
    for r in _published(session):
        counts = r.get("counts", {})
        published = (
            datetime.fromisoformat(r["published_at"])
            .replace(microsecond=0)
            .isoformat()
            .replace("+00:00", "Z")
        )
        yield [r["round_id"], redact(r["title"]), r["unit"], r["starts_on"], r["ends_on"], published,
               redact(r["findings"]), r["total"], *(counts.get(s, 0) for s in STATUSES)]  # fmt: skip


def item_rows(session: Session) -> Iterator[list[Any]]:
    """One row per item of a published report: problem, responsible unit and post, measures, deadline, status,
    what was done and the team's decision."""
    for r in _published(session):
        for i in r["items"]:
            yield [r["round_id"], i["number"], redact(i["problem"]), i["unit"], i["post"], redact(i["measures"]),
                   i["due_on"], i["status"], redact(i["done"]), redact(i["decision"])]  # fmt: skip
