"""The sections a report is made of, in a registry: a slice adds its own (accountability records, rectification
items, public evaluation) by calling `register_section` in a module named in PLUGINS, without the reports
importing the slice (see docs/architecture.md, "Reports made of sections")."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from minyi.annual.charts import Chart
from minyi.annual.figures import Breakdown, CaseFigures, case_figures
from minyi.annual.hot import hot_matters
from minyi.annual.participation import consultation_figures, suggestion_figures
from minyi.annual.rules import Scope
from minyi.locale import pick

ANNUAL, DEPARTMENT = "annual", "department"
BOTH = frozenset({ANNUAL, DEPARTMENT})
# modules that register sections of other slices when imported, e.g. "minyi.accountability.report_section"
PLUGINS: tuple[str, ...] = ("minyi.accountability.report_section", "minyi.inspection.report_section")


@dataclass(frozen=True)
class Section:
    """One part of a report: its title, the template that lays it out (given `s`, the data), and how to build
    the data from the record for a scope (None leaves the section out)."""

    key: str
    title_zh: str
    title_en: str
    template: str
    build: Callable[[Session, Scope], Any | None]
    reports: frozenset[str] = BOTH
    order: int = 100

    @property
    def title(self) -> str:
        return pick(self.title_zh, self.title_en)


_REGISTRY: dict[str, Section] = {}


def register_section(section: Section) -> None:
    """Add (or replace, by key) a section of the reports."""
    _REGISTRY[section.key] = section


def sections_for(kind: str) -> list[Section]:
    """The sections of the annual or the department report, in order."""
    for module in PLUGINS:
        importlib.import_module(module)
    return sorted((s for s in _REGISTRY.values() if kind in s.reports), key=lambda s: (s.order, s.key))


def _counts_chart(key: str, title: str, b: Breakdown, kind: str = "bar", limit: int = 12) -> Chart:
    rows = [(name, c.received) for name, c in b.rows]
    if kind == "bar":  # categories: the largest that have any, in the breakdown's order
        rows = [r for r in rows if r[1]][:limit]
    return Chart(key, title, kind, tuple(r[0] for r in rows), tuple(float(r[1]) for r in rows))


def _demands(session: Session, scope: Scope) -> dict[str, Any]:
    f: CaseFigures = case_figures(session, scope)
    charts = [
        _counts_chart("month", pick("各月收件数", "Demands received per month"), f.by_month, "column"),
        _counts_chart("channel", pick("按渠道", "By channel"), f.by_channel),
        _counts_chart("kind", pick("按性质", "By kind"), f.by_kind),
        _counts_chart("topic", pick("按问题分类（前12）", "By topic (top 12)"), f.by_topic),
    ]
    rated = [r for r in f.departments if r.on_time_rate is not None][:15]
    if rated:
        charts.append(Chart("departments", pick("各单位按时答复率", "On-time reply rate per department"), "bar",
                            tuple(r.name for r in rated),
                            tuple(round(100 * (r.on_time_rate or 0), 1) for r in rated), "%"))  # fmt: skip
    return {"f": f, "charts": charts}


def _consultations(session: Session, scope: Scope) -> Any:
    return consultation_figures(session, scope)


def _suggestions(session: Session, scope: Scope) -> Any:
    lines = suggestion_figures(session, scope)
    cats = [(pick("A类（已解决或采纳）", "A (solved or adopted)"), sum(x.a for x in lines)),
            (pick("B类（正在解决或列入计划）", "B (being solved or planned)"), sum(x.b for x in lines)),
            (pick("C类（留作参考）", "C (kept for reference)"), sum(x.c for x in lines))]  # fmt: skip
    chart = Chart("categories", pick("答复类别", "Answers by category"), "bar",
                  tuple(c[0] for c in cats), tuple(float(c[1]) for c in cats))  # fmt: skip
    return {"lines": lines, "chart": chart}


register_section(Section("demands", "群众诉求办理情况", "Demands and how they were handled",
                         "annual/_demands.html", _demands, order=10))  # fmt: skip
register_section(Section("consultations", "重大决策征求意见及采纳情况", "Consultations and what was adopted",
                         "annual/_consultations.html", _consultations, order=20))  # fmt: skip
register_section(Section("suggestions", "人大代表建议和政协提案办理情况",
                         "Deputies' suggestions and CPPCC proposals", "annual/_suggestions.html",
                         _suggestions, order=30))  # fmt: skip
register_section(Section("hot", "年度热点问题及办理情况", "Hot issues of the year and what was done",
                         "annual/_hot.html", lambda s, scope: hot_matters(s, scope), frozenset({ANNUAL}),
                         order=15))  # fmt: skip
