"""The public map page: regions shaded by public case counts, points for cases with a place, the same figures
as a table (for people without JavaScript and for screen readers)."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request, Response

from minyi.cases.rules import Kind
from minyi.deps import SessionDep
from minyi.errors import InvalidInput
from minyi.regionmap.queries import PERIODS, MapFilter, map_data, map_filter, regions_geojson
from minyi.web.choices import topic_choices
from minyi.web.rendering import PageRoute, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@router.get("/map")
def map_page(
    request: Request, session: SessionDep, days: int = 90, kind: str = "", topic: str = ""
) -> Response:
    """The map and its table; a value the filter does not offer falls back to the default."""
    try:
        f = map_filter(days, kind, topic)
    except InvalidInput:
        f = MapFilter()
    shapes, figures, points = map_data(session, f)
    data = {"regions": regions_geojson(shapes, figures),
            "points": [{"id": p.case_id, "name": p.title, "value": [p.lon, p.lat]} for p in points]}  # fmt: skip
    context = {
        "f": f, "figures": figures, "points": points, "periods": PERIODS, "kinds": [k.value for k in Kind],
        "topics": topic_choices(), "total": sum(r.count for r in figures),
        "map_json": json.dumps(data, ensure_ascii=False).replace("</", "<\\/"),
    }  # fmt: skip
    return render(request, "map/map.html", context)
