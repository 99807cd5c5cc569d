"""The rectification section of the annual and department reports: the items due in the year by status, on time,
accepted and rejected; the rounds whose public rectification report (整改情况通报) came out in the year, linked.
Registered with the reports' section registry. Every figure is one of the queries below."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from minyi.annual.rules import Scope, year_window
from minyi.annual.sections import Section, register_section
from minyi.db import utcnow
from minyi.inspection.models import InspectionRound, RectificationItem
from minyi.inspection.queries import unit_names
from minyi.inspection.rules import ItemStatus, item_label
from minyi.settings import get_settings


@dataclass(frozen=True)
class PublishedReport:
    """A public rectification report of the year, as the section lists and links it."""

    round_id: int
    title: str
    unit: str
    published_at: datetime

    @property
    def url(self) -> str:
        return f"/inspections/{self.round_id}/report"


@dataclass(frozen=True)
class RectificationFigures:
    items: int  # items whose deadline falls in the year
    by_status: list[tuple[str, int]]  # (label, count) in the order of the item's life
    accepted: int
    rejected: int
    on_time: int  # accepted by the team no later than the item's deadline (local date)
    overdue: int  # not accepted, and the deadline passed
    rounds_finished: int  # rounds whose public report came out in the year
    reports: list[PublishedReport]


def _items(session: Session, scope: Scope) -> list[tuple[str, date, datetime | None]]:
    """(status, deadline, accepted at) of every item due in the year, of the scope's unit where there is one."""
    stmt = select(RectificationItem.status, RectificationItem.due_on, RectificationItem.done_at).where(
        RectificationItem.due_on >= date(scope.year, 1, 1),
        RectificationItem.due_on <= date(scope.year, 12, 31),
    )
    if scope.department_id is not None:
        stmt = stmt.where(RectificationItem.unit_id == scope.department_id)
    return [(s, d, at) for s, d, at in session.execute(stmt)]


def _reports(session: Session, scope: Scope) -> list[PublishedReport]:
    """Rounds whose report was published in the year: on the scope's unit, or naming it responsible for an item."""
    start, end = year_window(scope.year, ZoneInfo(get_settings().timezone))
    stmt = select(InspectionRound.id, InspectionRound.title, InspectionRound.unit_id,
                  InspectionRound.report_published_at).where(
        InspectionRound.report_published_at >= start, InspectionRound.report_published_at < end
    )  # fmt: skip
    if scope.department_id is not None:
        named = select(RectificationItem.round_id).where(RectificationItem.unit_id == scope.department_id)
        stmt = stmt.where(or_(InspectionRound.unit_id == scope.department_id, InspectionRound.id.in_(named)))
    rows = session.execute(stmt.order_by(InspectionRound.report_published_at, InspectionRound.id)).all()
    names = unit_names(session, {r.unit_id for r in rows})
    return [PublishedReport(r.id, r.title, names.get(r.unit_id, ""), r.report_published_at) for r in rows]


def rectification_figures(session: Session, scope: Scope, today: date | None = None) -> RectificationFigures:
    """The scope's rectification figures for the year (`today`, the city's date, decides what is overdue)."""
    local = ZoneInfo(get_settings().timezone)
    today = today or utcnow().astimezone(local).date()
    items = _items(session, scope)
    counts = Counter(s for s, _, _ in items)
    accepted = [(due, at) for s, due, at in items if s == ItemStatus.accepted]
    reports = _reports(session, scope)
    return RectificationFigures(
        items=len(items),
        by_status=[(item_label(s), counts[s]) for s in ItemStatus if counts[s]],
        accepted=len(accepted),
        rejected=counts[ItemStatus.rejected],
        on_time=sum(1 for due, at in accepted if at is not None and at.astimezone(local).date() <= due),
        overdue=sum(1 for s, due, _ in items if s != ItemStatus.accepted and due < today),
        rounds_finished=len(reports),
        reports=reports,
    )


def _build(session: Session, scope: Scope) -> RectificationFigures:
    return rectification_figures(session, scope)


register_section(Section("rectification", "巡视巡察整改情况", "Rectification after inspection rounds",
                         "annual/_rectification.html", _build, order=45))  # fmt: skip
