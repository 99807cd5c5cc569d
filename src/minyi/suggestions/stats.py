"""办理情况统计: per session and unit, answered on time, categories A/B/C, satisfaction, second answers, key items.

One GROUP BY over the items (the report for the congress standing committee and the CPPCC, its CSV, and the
figures on the public scoreboard all read it).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, and_, case, func, select
from sqlalchemy.orm import Session

from minyi.db import utcnow
from minyi.departments.models import Department
from minyi.locale import gettext as _
from minyi.suggestions.models import Suggestion
from minyi.suggestions.rules import WITH_UNIT, Satisfaction, SuggestionStatus


@dataclass(frozen=True)
class StatRow:
    """The figures of one lead unit in one session (unit None: the session's total)."""

    session: str
    kind: str
    unit: str
    items: int
    assigned: int
    answered: int
    on_time: int
    overdue_open: int
    a: int
    b: int
    c: int
    satisfied: int
    basically: int
    unsatisfied: int
    second_round: int
    key_items: int

    @property
    def on_time_rate(self) -> float | None:
        """Answered on time ÷ answered (first answers)."""
        return self.on_time / self.answered if self.answered else None

    @property
    def satisfaction_rate(self) -> float | None:
        """满意 and 基本满意 ÷ judged."""
        judged = self.satisfied + self.basically + self.unsatisfied
        return (self.satisfied + self.basically) / judged if judged else None


def _n(cond: object) -> object:
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0).cast(Integer)  # type: ignore[arg-type]


def suggestion_stats(
    session: Session,
    session_label: str | None = None,
    *,
    en: bool = False,
    now: datetime | None = None,
    registered: tuple[datetime, datetime] | None = None,
    unit_id: int | None = None,
) -> list[StatRow]:
    """One row per session, kind and lead unit (assigned items), then one total per session and kind;
    optionally only items registered in [start, end) and only those one unit leads (the reports read these)."""
    now = now or utcnow()
    s = Suggestion
    answered = s.answered_on_time.is_not(None)
    figures = (
        func.count(), _n(s.lead_unit_id.is_not(None)), _n(answered), _n(s.answered_on_time.is_(True)),
        _n(and_(s.status.in_([x.value for x in WITH_UNIT]), s.due_at < now)),
        _n(s.category == "A"), _n(s.category == "B"), _n(s.category == "C"),
        _n(s.satisfaction == Satisfaction.satisfied.value), _n(s.satisfaction == Satisfaction.basically_satisfied.value),
        _n(s.satisfaction == Satisfaction.unsatisfied.value), _n(s.round >= 2), _n(s.key_item.is_(True)),
    )  # fmt: skip
    where = [s.status != SuggestionStatus.not_accepted.value]
    if session_label:
        where.append(s.session_label == session_label)
    if registered:
        where += [s.registered_at >= registered[0], s.registered_at < registered[1]]
    if unit_id is not None:
        where.append(s.lead_unit_id == unit_id)
    name = Department.name_en if en else Department.name
    per_unit = (
        select(s.session_label, s.kind, func.coalesce(name, Department.name), *figures)  # type: ignore[call-overload]
        .join(Department, Department.id == s.lead_unit_id)
        .where(*where)
        .group_by(s.session_label, s.kind, Department.name, Department.name_en)
        .order_by(s.session_label, s.kind, Department.name)
    )
    totals = (
        select(s.session_label, s.kind, *figures)  # type: ignore[call-overload]
        .where(*where)
        .group_by(s.session_label, s.kind)
        .order_by(s.session_label, s.kind)
    )
    rows = [StatRow(r[0], r[1], r[2], *[int(v) for v in r[3:]]) for r in session.execute(per_unit)]
    rows += [StatRow(r[0], r[1], _("合计"), *[int(v) for v in r[2:]]) for r in session.execute(totals)]
    rows.sort(key=lambda r: (r.session, r.kind, r.unit == _("合计")))
    return rows


def session_totals(session: Session, *, en: bool = False) -> list[StatRow]:
    """The total row of each session and kind (the public scoreboard shows these)."""
    return [r for r in suggestion_stats(session, en=en) if r.unit == _("合计")]


def pct(rate: float | None) -> str:
    """A rate as the pages and the CSV print it."""
    return "—" if rate is None else f"{100 * rate:.1f}%"


def stats_csv(rows: list[StatRow]) -> str:
    """The report as CSV (UTF-8 with BOM, so that spreadsheet programs read the Chinese)."""
    buf = io.StringIO()
    out = csv.writer(buf)
    out.writerow([
        _("届次/会议"), _("类别"), _("主办单位"), _("件数"), _("已交办"), _("已答复"), _("按时答复"), _("按时答复率"),
        _("超期未答复"), "A", "B", "C", _("满意"), _("基本满意"), _("不满意"), _("满意率"), _("再次办理"), _("重点督办"),
    ])  # fmt: skip
    for r in rows:
        out.writerow([
            r.session, r.kind, r.unit, r.items, r.assigned, r.answered, r.on_time, pct(r.on_time_rate), r.overdue_open,
            r.a, r.b, r.c, r.satisfied, r.basically, r.unsatisfied, pct(r.satisfaction_rate), r.second_round,
            r.key_items,
        ])  # fmt: skip
    return "\ufeff" + buf.getvalue()


def suggestion_figures(session: Session, en: bool = False) -> dict[str, object]:
    """What the public scoreboard adds for suggestions and proposals (its template includes the section)."""
    from minyi.suggestions import labels  # noqa: F401 - the section's labels

    return {"suggestion_totals": session_totals(session, en=en), "sg_pct": pct}
