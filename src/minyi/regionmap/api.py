"""JSON API of the map: the region boundaries with their public case counts. Thin."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from minyi.deps import SessionDep
from minyi.regionmap.queries import map_data, map_filter, regions_geojson

router = APIRouter(tags=["map"])


@router.get("/public/regions.geojson")
def regions(session: SessionDep, days: int = 90, kind: str = "", topic: str = "") -> dict[str, Any]:
    """The city's regions as GeoJSON, each with `count`: its public cases registered in the last `days` days
    (30, 90 or 365), of a kind and on a topic when given. No personal data."""
    shapes, figures, _points = map_data(session, map_filter(days, kind, topic))
    return regions_geojson(shapes, figures)
