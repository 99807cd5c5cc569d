"""The figures of demands in a report's year, read through the scoreboard's own queries (one home per rule)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from minyi.annual.rules import Scope, month_edges, year_window
from minyi.cases.models import Case
from minyi.cases.rules import CHANNEL_ZH, KIND_ZH
from minyi.deadlines.clock import calendar
from minyi.departments.models import Region
from minyi.locale import current_locale, pick
from minyi.portal.queries import Counts, ScoreRow, handling_counts, scoreboard
from minyi.settings import get_settings
from minyi.taxonomy import load_taxonomy
from minyi.web.labels import label


@dataclass
class Breakdown:
    """One table of a report: the rows (a label and the counts of its cases) in the order shown."""

    rows: list[tuple[str, Counts]]

    @property
    def total(self) -> Counts:
        out = Counts()
        for _, c in self.rows:
            out.add(c)
        return out


@dataclass
class CaseFigures:
    """Demands of the year: the headline, the breakdowns and (for the city) the department table."""

    headline: Counts
    returned: int
    returns_sent_back: int
    escalated: int
    avg_reply_days: float | None
    by_month: Breakdown
    by_channel: Breakdown
    by_kind: Breakdown
    by_topic: Breakdown
    by_region: Breakdown
    departments: list[ScoreRow]


def _labelled(
    counts: dict[Any, Counts], name: Callable[[Any], str], order: list[Any] | None = None
) -> Breakdown:
    keys = order if order is not None else sorted(counts, key=lambda k: (-counts[k].received, str(k)))
    return Breakdown([(name(k), counts.get(k, Counts())) for k in keys])


def _month_key(edges: list[Any]) -> ColumnElement[Any]:
    """The month (1-12, local time) a case was registered in, as SQL both databases run."""
    return case(*((Case.registered_at < edges[m], m) for m in range(1, 13)), else_=12)


def _topic_name(code: str | None) -> str:
    if not code:
        return pick("未分类", "no topic")
    return load_taxonomy().name_of(code, current_locale() == "en") or code


def case_figures(session: Session, scope: Scope) -> CaseFigures:
    """Every figure of demands for the scope's year (and department): from `handling_counts` and `scoreboard`."""
    local, english = ZoneInfo(get_settings().timezone), current_locale() == "en"
    window = year_window(scope.year, local)
    mine = [Case.department_id == scope.department_id] if scope.department_id is not None else []
    board = scoreboard(session, calendar(session), english, window)
    by_month = handling_counts(session, _month_key(month_edges(scope.year, local)), window, *mine)
    by_channel = handling_counts(session, Case.channel, window, *mine)
    by_kind = handling_counts(session, Case.kind, window, *mine)
    by_topic = handling_counts(session, func.substr(Case.topic_code, 1, 2), window, *mine)
    by_region = handling_counts(session, func.substr(Case.region_code, 1, 6), window, *mine)
    names = dict(
        session.execute(select(Region.code, Region.name).where(Region.code.in_(list(by_region)))).all()
    )
    months = _labelled(by_month, lambda m: pick(f"{m}月", f"{m:02d}"), list(range(1, 13)))
    if scope.department_id is None:
        headline = months.total
        returned = sum(r.returned for r in board)
        sent_back = sum(r.returns_sent_back for r in board)
        escalated = sum(r.escalated for r in board)
        days = [d for r in board for d in r.reply_days]
        departments = [r for r in board if r.received]
    else:
        row = next((r for r in board if r.department_id == scope.department_id), None) or ScoreRow()
        headline = Counts(row.received, row.replied, row.on_time, row.evaluated, row.satisfied, row.rehandled)
        returned, sent_back, escalated, days, departments = (
            row.returned, row.returns_sent_back, row.escalated, row.reply_days, []
        )  # fmt: skip
    return CaseFigures(
        headline=headline, returned=returned, returns_sent_back=sent_back, escalated=escalated,
        avg_reply_days=sum(days) / len(days) if days else None, by_month=months,
        by_channel=_labelled(by_channel, lambda c: label(c, "channel") if c in CHANNEL_ZH else str(c)),
        by_kind=_labelled(by_kind, lambda k: label(k, "kind") if k in KIND_ZH else str(k)),
        by_topic=_labelled(by_topic, _topic_name),
        by_region=_labelled(by_region, lambda r: names.get(r, r or pick("未标注", "no region"))),
        departments=departments,
    )  # fmt: skip
