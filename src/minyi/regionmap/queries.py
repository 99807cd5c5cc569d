"""The map's figures: public case counts per region and the public cases with a place, by period, kind, topic."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from minyi.cases.models import Case
from minyi.cases.public import public_conditions
from minyi.cases.schemas import CaseSubmission
from minyi.db import utcnow
from minyi.departments.models import Region
from minyi.errors import InvalidInput
from minyi.nlp.pii import redact
from minyi.regionmap.models import RegionShape
from minyi.regionmap.rules import agrees, region_at, snap
from minyi.uow import end_read

PERIODS = (30, 90, 365)
MAX_POINTS = 500


@dataclass(frozen=True)
class MapFilter:
    """Which public cases the map counts: registered in the last `days` days, of a kind, on a topic."""

    days: int = 90
    kind: str = ""
    topic: str = ""


@dataclass(frozen=True)
class RegionFigure:
    code: str
    name: str
    count: int


@dataclass(frozen=True)
class MapPoint:
    case_id: int
    title: str
    lon: float
    lat: float


def map_filter(days: int = 90, kind: str = "", topic: str = "") -> MapFilter:
    """The filter from a request, refused with a clear error when a value is not one the map offers."""
    from minyi.cases.rules import Kind
    from minyi.taxonomy import load_taxonomy

    if days not in PERIODS:
        raise InvalidInput("时间范围只能是30、90或365天", "days must be 30, 90 or 365", field="days")
    if kind and kind not in {k.value for k in Kind}:
        raise InvalidInput("诉求类型无效", "unknown kind", field="kind")
    if topic and load_taxonomy().get(topic) is None:
        raise InvalidInput("问题分类代码不存在", "unknown topic code", field="topic")
    return MapFilter(days, kind, topic)


def _public(f: MapFilter) -> ColumnElement[bool]:
    cond = and_(*public_conditions(), Case.registered_at >= utcnow() - timedelta(days=f.days))
    if f.kind:
        cond = and_(cond, Case.kind == f.kind)
    if f.topic:
        cond = and_(cond, or_(Case.topic_code == f.topic, Case.topic_code.like(f.topic + ".%")))
    return cond


def load_shapes(session: Session) -> dict[str, Any]:
    """Every loaded boundary by region code."""
    return dict(session.execute(select(RegionShape.code, RegionShape.geometry)).all())


def shown_codes(shapes: dict[str, Any]) -> list[str]:
    """The regions the map shades: the broadest level that has boundaries (the districts of a city)."""
    if not shapes:
        return []
    width = min(len(code) for code in shapes)
    return sorted(code for code in shapes if len(code) == width)


def region_figures(session: Session, codes: list[str], f: MapFilter) -> list[RegionFigure]:
    """Public case counts for the given regions (a region counts the cases of the places inside it)."""
    if not codes:
        return []
    width = len(codes[0])
    prefix = func.substr(Case.region_code, 1, width)
    counts: dict[str, int] = dict(session.execute(
        select(prefix, func.count()).where(_public(f), prefix.in_(codes)).group_by(prefix)
    ).all())  # fmt: skip
    names = dict(session.execute(select(Region.code, Region.name).where(Region.code.in_(codes))).all())
    return [RegionFigure(c, names.get(c, c), int(counts.get(c, 0))) for c in codes]


def map_points(session: Session, f: MapFilter) -> list[MapPoint]:
    """The newest public cases with a place, with their masked titles, positions snapped to the public grid."""
    rows = session.execute(
        select(Case.id, Case.public_title, Case.title, Case.longitude, Case.latitude)
        .where(_public(f), Case.latitude.is_not(None), Case.longitude.is_not(None))
        .order_by(Case.registered_at.desc(), Case.id.desc()).limit(MAX_POINTS)
    ).all()  # fmt: skip
    return [MapPoint(r.id, r.public_title if r.public_title is not None else redact(r.title),
                     snap(float(r.longitude)), snap(float(r.latitude))) for r in rows]  # fmt: skip


def map_data(session: Session, f: MapFilter) -> tuple[dict[str, Any], list[RegionFigure], list[MapPoint]]:
    """The shaded regions' boundaries, their figures and the points (one read)."""
    shapes = load_shapes(session)
    codes = shown_codes(shapes)
    figures = region_figures(session, codes, f)
    points = map_points(session, f)
    end_read(session)
    return {c: shapes[c] for c in codes}, figures, points


def regions_geojson(shapes: dict[str, Any], figures: list[RegionFigure]) -> dict[str, Any]:
    """A FeatureCollection of the shaded regions with their name and public count as properties."""
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": r.code, "geometry": shapes[r.code],
         "properties": {"code": r.code, "name": r.name, "count": r.count}} for r in figures
    ]}  # fmt: skip


_shape_cache: dict[str, tuple[Any, dict[str, Any]]] = {}


def cached_shapes(session: Session) -> dict[str, Any]:
    """The boundaries, re-read only when a load changed them (a submission with a point asks for them)."""
    stamp = tuple(session.execute(select(func.max(RegionShape.loaded_at), func.count())).one())
    key = str(session.get_bind().engine.url)
    hit = _shape_cache.get(key)
    if hit is None or hit[0] != stamp:
        hit = (stamp, load_shapes(session) if stamp[1] else {})
        _shape_cache[key] = hit
    return hit[1]


def place_submission(session: Session, sub: CaseSubmission) -> CaseSubmission:
    """A point picked on the map sets the region, or must agree with the region given (checked here, not
    trusted from the browser). Without loaded boundaries, or without a point, the submission is unchanged."""
    if sub.latitude is None or sub.longitude is None:
        return sub
    shapes = cached_shapes(session)
    if not shapes:
        return sub
    found = region_at(shapes, sub.longitude, sub.latitude)
    if found is None:
        raise InvalidInput(
            "所选位置不在本市范围内", "the point is outside the city's regions", field="latitude"
        )
    if sub.region_code is None:
        return sub.model_copy(update={"region_code": found})
    if not agrees(found, sub.region_code):
        raise InvalidInput(
            "所选位置不在所填区域内", "the point is not inside the region given", field="region_code"
        )
    if len(found) > len(sub.region_code):  # the point names the street inside the district given
        return sub.model_copy(update={"region_code": found})
    return sub
