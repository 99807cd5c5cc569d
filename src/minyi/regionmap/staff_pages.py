"""The workbench map: the cases a member of staff may see, by region and as points, with the same figures as a
table (for people without JavaScript and for screen readers). Thin."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from minyi.access import OVERSIGHT
from minyi.alerts.actions import open_alerts
from minyi.cases.rules import Kind
from minyi.db import utcnow
from minyi.deps import SessionDep
from minyi.errors import InvalidInput
from minyi.regionmap.queries import RegionFigure, load_shapes, regions_geojson, shown_codes
from minyi.regionmap.staff import StaffFilter, place_signals, staff_filter, staff_map_data
from minyi.web.auth import StaffPage
from minyi.web.choices import topic_choices
from minyi.web.rendering import PageRoute, render, script_json
from minyi.workbench.insight_panels import hot_issues

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


@router.get("/staff/map/signals")
def staff_map_signals(request: Request, session: SessionDep, actor: StaffPage) -> Response:
    """Where the hot issues of the last 30 days and the open alerts (for oversight) are: loaded after the map
    (ranking the hot issues takes a moment), or as its own page without JavaScript."""
    now = utcnow()
    signals = [("hot", h.description or h.place, h.count, h.codes) for h in hot_issues(session, actor, now)]
    if actor.role in OVERSIGHT:
        signals += [("alert", a.series, a.count, a.examples) for a in open_alerts(session, actor)]
    placed = place_signals(session, actor, shown_codes(load_shapes(session)), signals)
    return render(request, "map/staff_signals.html", {"signals": placed})
