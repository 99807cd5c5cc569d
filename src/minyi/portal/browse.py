"""Public cases (search, filters, permanent links) and the department scoreboard with its CSV."""

from __future__ import annotations

import csv
import io
from datetime import date

from fastapi import APIRouter, Request, Response

from minyi.cases.public import get_public_case
from minyi.cases.rules import PUBLIC_STATUSES, Kind
from minyi.deadlines.clock import calendar
from minyi.deps import PublicSessionDep
from minyi.errors import NotFound
from minyi.fields import CaseIdInPath
from minyi.locale import current_locale, pick
from minyi.locale import gettext as _
from minyi.organisations.expert_queries import published_opinions
from minyi.portal.households import households_by_region
from minyi.portal.present import public_page, public_views
from minyi.portal.queries import PublicSearch, scoreboard, search_public_cases
from minyi.suggestions.stats import suggestion_figures
from minyi.web.choices import region_choices, topic_choices
from minyi.web.rendering import PageRoute, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def _date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@router.get("/cases")
def public_cases(
    request: Request,
    session: PublicSessionDep,
    q: str = "",
    topic: str = "",
    region: str = "",
    kind: str = "",
    status: str = "",
    date_from: str = "",
    date_to: str = "",
    page: int = 1,
    per_page: int = 20,
) -> Response:
    """Public cases and replies, newest first; the filter form works with and without htmx."""
    f = PublicSearch(
        q=q.strip()[:100], topic=topic, region=region, kind=kind, status=status,
        date_from=_date(date_from), date_to=_date(date_to), page=max(1, min(page, 500)),
        per_page=max(1, min(per_page, 100)),
    )  # fmt: skip
    rows, has_next = search_public_cases(session, f)
    params = {k: v for k, v in request.query_params.items() if k != "page" and v}
    context = {
        "cases": public_views(session, rows, current_locale() == "en"),
        "f": f,
        "has_next": has_next,
        "params": params,
        "topics": [t for t in topic_choices() if "." not in t.code],
        "regions": region_choices(session, max_level=2),
        "kinds": [k.value for k in Kind],
        "statuses": [s.value for s in PUBLIC_STATUSES],
    }
    return render(request, "portal/cases.html", context)


@router.get("/cases/{case_id}")
def public_case(request: Request, session: PublicSessionDep, case_id: CaseIdInPath) -> Response:
    """The permanent link of one public case; private ones answer like missing ones."""
    case = get_public_case(session, case_id)
    if case is None:
        raise NotFound()
    view = public_page(session, case, current_locale() == "en")
    opinions = published_opinions(session, "case", case.id)  # the experts' opinions the inviter published
    return render(request, "portal/case.html", {"case": view, "opinions": opinions})


def _pct(x: float | None) -> str:
    return "" if x is None else f"{100 * x:.1f}%"


def _days(x: float | None) -> str:
    return "" if x is None else f"{x:.1f}"


@router.get("/scoreboard")
def scoreboard_page(request: Request, session: PublicSessionDep) -> Response:
    """政务公开: for each department, the figures that show how well it answers."""
    rows = scoreboard(session, calendar(session), current_locale() == "en")
    top = [r for r in rows if r.received][:15]
    chart = {
        "names": [r.name for r in top],
        "onTime": [round(100 * r.on_time_rate, 1) if r.on_time_rate is not None else None for r in top],
        "satisfaction": [
            round(100 * r.satisfaction_rate, 1) if r.satisfaction_rate is not None else None for r in top
        ],
        "received": [r.received for r in top],
        "labels": {"onTime": _("按时答复率"), "satisfaction": _("满意率"), "received": _("收件数")},
    }
    context = {"rows": rows, "pct": _pct, "days": _days, "chart": chart}
    context.update(suggestion_figures(session, current_locale() == "en"))
    context["households"] = households_by_region(session, current_locale() == "en")  # per district
    return render(request, "portal/scoreboard.html", context)


@router.get("/scoreboard.csv")
def scoreboard_csv(session: PublicSessionDep) -> Response:
    """The scoreboard as CSV (UTF-8 with BOM, so that spreadsheet programs read the Chinese)."""
    rows = scoreboard(session, calendar(session), current_locale() == "en")
    buf = io.StringIO()
    out = csv.writer(buf)
    out.writerow([
        _("单位"), _("收件数"), _("已答复"), _("按时答复率"), _("平均答复用时（工作日）"), _("满意率"), _("退回件数"),
        _("督办件数"), pick("联名件数", "Group demands"), pick("联名户数", "Households behind them"),
    ])  # fmt: skip
    for r in rows:
        out.writerow([
            r.name, r.received, r.replied, _pct(r.on_time_rate), _days(r.avg_reply_days), _pct(r.satisfaction_rate),
            r.returned, r.escalated, r.group_demands, r.households,
        ])  # fmt: skip
    return Response(
        "\ufeff" + buf.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="minyi-scoreboard.csv"'},
    )


@router.get("/scoreboard/households.csv")
def households_csv(session: PublicSessionDep) -> Response:
    """The households behind committees' group demands per district, as CSV (a table of its own: one row per
    region, so that the department CSV keeps one row per department)."""
    buf = io.StringIO()
    out = csv.writer(buf)
    out.writerow([pick("区域代码", "Region code"), pick("区域", "Region"), pick("联名件数", "Group demands"),
                  pick("户数", "Households")])  # fmt: skip
    for r in households_by_region(session, current_locale() == "en"):
        out.writerow(
            [r.code or "", r.name or pick("未注明区域", "region not given"), r.group_demands, r.households]
        )
    return Response("\ufeff" + buf.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="minyi-households.csv"'})  # fmt: skip
