"""The workbench map: the cases a member of staff may see, by region and as points, with the same figures as a
table (for people without JavaScript and for screen readers). Thin."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from minyi.cases.rules import Kind
from minyi.deps import SessionDep
from minyi.errors import InvalidInput
from minyi.regionmap.queries import RegionFigure, regions_geojson
from minyi.regionmap.staff import StaffFilter, staff_filter, staff_map_data
from minyi.web.auth import StaffPage
from minyi.web.choices import topic_choices
from minyi.web.rendering import PageRoute, render, script_json

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@router.get("/staff/map")
def staff_map(
    request: Request,
    session: SessionDep,
    actor: StaffPage,
    state: str = "open",
    kind: str = "",
    topic: str = "",
) -> Response:
    """The map and its table; a value the filter does not offer falls back to the default."""
    try:
        f = staff_filter(state, kind, topic)
    except InvalidInput:
        f = StaffFilter()
    shapes, regions, points = staff_map_data(session, actor, f)
    shaded = [RegionFigure(r.code, r.name, r.overdue if f.state == "overdue" else r.open) for r in regions]
    data = {"regions": regions_geojson(shapes, shaded), "point_url": "/staff/cases/", "region_url": "#r-",
            "points": [{"id": p.case_id, "name": f"#{p.case_id} {p.title}", "value": [p.lon, p.lat]} for p in points]}  # fmt: skip
    context = {
        "f": f, "regions": regions, "points": points, "kinds": [k.value for k in Kind], "topics": topic_choices(),
        "total_open": sum(r.open for r in regions), "total_overdue": sum(r.overdue for r in regions),
        "map_json": script_json(data),
    }  # fmt: skip
    return render(request, "map/staff_map.html", context)
