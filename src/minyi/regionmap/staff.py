"""The staff's map: the open and overdue cases they may see (their department's; all for dispatch and oversight),
counted by region, with points for those they may place.

Confidential cases are left off the map altogether (a pin would tell where a sealed matter is); anonymous ones
count in their region but get no point (a pin could name the person)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.cases.models import Case
from minyi.cases.queries import visible_filter
from minyi.cases.rules import TERMINAL
from minyi.db import utcnow
from minyi.deadlines.queries import overdue_filter
from minyi.deadlines.rules import is_overdue
from minyi.departments.models import Region
from minyi.errors import InvalidInput
from minyi.regionmap.queries import MAX_POINTS, load_shapes, map_filter, shown_codes
from minyi.uow import end_read

STATES = ("open", "overdue")


@dataclass(frozen=True)
class StaffFilter:
    """Which cases: all open ones or only the overdue; of a kind, on a topic."""

    state: str = "open"
    kind: str = ""
    topic: str = ""


@dataclass(frozen=True)
class StaffRegion:
    code: str
    name: str
    open: int
    overdue: int


@dataclass(frozen=True)
class StaffPoint:
    case_id: int
    title: str
    status: str
    due_at: datetime | None
    overdue: bool
    lon: float
    lat: float


def staff_filter(state: str = "open", kind: str = "", topic: str = "") -> StaffFilter:
    """The filter from a request; a value the map does not offer is refused with a clear error."""
    if state not in STATES:
        raise InvalidInput("范围只能是“在办”或“超期”", "state must be open or overdue", field="state")
    checked = map_filter(90, kind, topic)
    return StaffFilter(state, checked.kind, checked.topic)


def _conditions(actor: Actor, f: StaffFilter, now: datetime) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = [
        *visible_filter(actor), Case.visibility != "confidential",
        Case.status.not_in([s.value for s in TERMINAL]),
    ]  # fmt: skip
    if f.state == "overdue":
        conds += overdue_filter(now)
    if f.kind:
        conds.append(Case.kind == f.kind)
    if f.topic:
        conds.append(or_(Case.topic_code == f.topic, Case.topic_code.like(f.topic + ".%")))
    return conds


def staff_map_data(
    session: Session, actor: Actor, f: StaffFilter, *, now: datetime | None = None
) -> tuple[dict[str, Any], list[StaffRegion], list[StaffPoint]]:
    """The shaded regions' boundaries, the open and overdue counts per region and the points (one read)."""
    now = now or utcnow()
    conds = _conditions(actor, f, now)
    shapes = load_shapes(session)
    codes = shown_codes(shapes)
    regions: list[StaffRegion] = []
    if codes:
        prefix = func.substr(Case.region_code, 1, len(codes[0]))
        late = func.sum(case((and_(*overdue_filter(now)), 1), else_=0))
        counts = {r[0]: (int(r[1]), int(r[2] or 0)) for r in session.execute(
            select(prefix, func.count(), late).where(*conds, prefix.in_(codes)).group_by(prefix))}  # fmt: skip
        names = dict(session.execute(select(Region.code, Region.name).where(Region.code.in_(codes))).all())
        regions = [StaffRegion(c, names.get(c, c), *counts.get(c, (0, 0))) for c in codes]
    rows = session.execute(
        select(Case.id, Case.title, Case.status, Case.due_at, Case.longitude, Case.latitude)
        .where(*conds, Case.anonymous.is_(False), Case.latitude.is_not(None), Case.longitude.is_not(None))
        .order_by(Case.due_at, Case.id).limit(MAX_POINTS)
    ).all()  # fmt: skip
    end_read(session)
    points = [StaffPoint(r.id, r.title, r.status, r.due_at, is_overdue(r.status, r.due_at, now),
                         float(r.longitude), float(r.latitude)) for r in rows]  # fmt: skip
    return {c: shapes[c] for c in codes}, regions, points


@dataclass(frozen=True)
class PlacedSignal:
    """A hot issue or an alert, placed in the region where most of its cases (that the viewer may read) are."""

    kind: str  # hot | alert
    label: str
    count: int
    region_code: str | None
    region_name: str


def place_signals(
    session: Session, actor: Actor, shown: list[str], signals: list[tuple[str, str, int, list[str]]]
) -> list[PlacedSignal]:
    """Each (kind, label, count, tracking codes of its cases) placed in the shown region most of its readable,
    non-confidential cases lie in ("" when none of them has a region on the map). The codes never leave here."""
    codes = {c for *_rest, cs in signals for c in cs}
    regions: dict[str, str | None] = dict(session.execute(
        select(Case.tracking_code, Case.region_code)
        .where(Case.tracking_code.in_(codes), Case.visibility != "confidential", *visible_filter(actor))
    ).all()) if codes else {}  # fmt: skip
    names = dict(session.execute(select(Region.code, Region.name).where(Region.code.in_(shown))).all())
    end_read(session)
    width = len(shown[0]) if shown else 0
    out = []
    for kind, label, count, cs in signals:
        places = Counter(r[:width] for c in cs if (r := regions.get(c)) and r[:width] in names)
        code = places.most_common(1)[0][0] if places else None
        out.append(PlacedSignal(kind, label, count, code, names.get(code, "") if code else ""))
    return out
