"""The weekly brief (热点周报): volumes, hot issues, alerts, late cases, departments and weak replies of one week.

Pure: `brief_data` computes every figure; `minyi.web.reports.render_brief` lays them out (Jinja, gettext).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from minyi.insight.charts import bar_chart, line_chart
from minyi.insight.fairness import rates_by
from minyi.insight.hot import rank_hot_issues
from minyi.insight.matters import matter_keys
from minyi.insight.model import CaseOutcome, Message
from minyi.insight.readers import CHINA
from minyi.insight.replies import score_reply, weak
from minyi.insight.signals import region_of
from minyi.insight.surge import Alert, SurgeParams, detect_surges, local_day

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def week_bounds(week: str) -> tuple[datetime, datetime]:
    """Monday 00:00 to next Monday 00:00 (China local) of an ISO week 'YYYY-Www', as UTC datetimes."""
    m = _WEEK.match(week)
    if not m:
        raise ValueError(f"week must look like 2019-W45, not {week!r}")
    monday = date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
    start = datetime.combine(monday, time(), tzinfo=CHINA)
    return start.astimezone(UTC), (start + timedelta(days=7)).astimezone(UTC)


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.0%}"


def _alerts_for_week(messages: Sequence[Message], start: datetime, params: SurgeParams | None) -> list[Alert]:
    p = params or SurgeParams()
    best: dict[tuple[str, str], Alert] = {}
    horizon = start - timedelta(days=max(p.windows) + p.baseline_days + 1)
    recent = [m for m in messages if m.time >= horizon]
    names = matter_keys(recent) if recent and "issue" in p.kinds else {}
    for i in range(7):
        day = (start + timedelta(days=i)).astimezone(CHINA).replace(hour=12)
        for a in detect_surges(messages, day, p, issue_of=names, use_nlp=True):
            k = (a.kind, a.series)
            if k not in best or a.p_value < best[k].p_value:
                best[k] = a
    return sorted(best.values(), key=lambda a: a.p_value)


@dataclass
class Brief:
    """Every figure of one week's brief; rows are tuples in the column order of the template."""

    week: str
    first_day: date
    last_day: date
    generated_at: datetime
    messages: int
    people: int
    change: str
    daily_chart: str
    weekly_chart: str
    regions: list[tuple[object, ...]] = field(default_factory=list)
    issues: list[tuple[object, ...]] = field(default_factory=list)
    alerts: list[tuple[object, ...]] = field(default_factory=list)
    late_after: int = 15
    late_count: int = 0
    late: list[tuple[object, ...]] = field(default_factory=list)
    departments: list[tuple[object, ...]] = field(default_factory=list)
    weak_replies: list[tuple[object, ...]] = field(default_factory=list)


ALERT_KIND = {"topic": "类别", "region": "地区", "issue": "热点"}


def brief_data(
    week: str,
    messages: Sequence[Message],
    outcomes: Sequence[CaseOutcome] = (),
    *,
    replies: Sequence[Message] | None = None,
    late_after: int = 15,
    top: int = 10,
    surge_params: SurgeParams | None = None,
) -> Brief:
    """The brief for ISO week `week` from messages (and optional outcomes and replied messages)."""
    start, end = week_bounds(week)
    upto = [m for m in messages if m.time < end]
    this = [m for m in upto if m.time >= start]
    prev = [m for m in upto if start - timedelta(days=7) <= m.time < start]
    days = [local_day(start + timedelta(days=i)) for i in range(7)]
    per_day = Counter(local_day(m.time) for m in this)
    weeks = [start - timedelta(days=7 * k) for k in range(11, -1, -1)]
    weekly = [sum(1 for m in upto if w <= m.time < w + timedelta(days=7)) for w in weeks]
    change = (len(this) - len(prev)) / len(prev) if prev else None
    reg_now = Counter(r for m in this if (r := region_of(m)))
    reg_prev = Counter(r for m in prev if (r := region_of(m)))
    recent = [m for m in upto if m.time >= end - timedelta(days=90)]
    issues = rank_hot_issues(recent, top=top, now=end, use_nlp=True) if recent else []
    alerts = _alerts_for_week(upto, start, surge_params) if upto else []
    late = _late_cases(outcomes, start, end, late_after)
    week_replies = [m for m in (replies or []) if m.reply and m.reply_time and start <= m.reply_time < end]
    scored = [
        (score_reply(f"{m.title}。{m.text}", m.reply or "", m.time, m.reply_time), m) for m in week_replies
    ]
    scored.sort(key=lambda x: x[0].overall)
    return Brief(
        week=week, first_day=days[0], last_day=days[-1], generated_at=datetime.now(UTC).astimezone(CHINA),
        messages=len(this), people=len({m.user for m in this}), change="—" if change is None else f"{change:+.0%}",
        daily_chart=bar_chart([f"{d.month}/{d.day}" for d in days], [per_day.get(d, 0) for d in days],
                              title="本周每日留言"),
        weekly_chart=line_chart([f"W{w.astimezone(CHINA).isocalendar()[1]:02d}" for w in weeks], weekly,
                                title="近12周每周留言"),
        regions=[(r, c, reg_prev[r], f"{c - reg_prev[r]:+d}") for r, c in reg_now.most_common(8)],
        issues=[(h.rank, f"{h.score:.2f}", h.place, h.description, h.count, h.people, h.likes,
                 f"{local_day(h.first)} 至 {local_day(h.last)}") for h in issues],
        alerts=[(ALERT_KIND[a.kind], a.series, f"{a.window_start}–{a.window_end}", a.count, f"{a.expected:.1f}",
                 f"{a.ratio:.1f}", f"{a.p_value:.1e}") for a in alerts[:15]],
        late_after=late_after, late_count=len(late),
        late=[(o.department, o.region or "—", local_day(o.submitted_at),
               o.workdays_to_reply if o.workdays_to_reply is not None else "未答复") for o in late[:15]],
        departments=[(r.group, r.cases, r.evaluated, _pct(r.satisfied_rate), _pct(r.unsatisfied_rate),
                      _pct(r.reopen_rate), _pct(r.repeat_rate),
                      r.median_workdays if r.median_workdays is not None else "—", _pct(r.late_rate))
                     for r in rates_by(outcomes, "department", late_after)[:15]],
        weak_replies=[(m.id, m.title[:30], f"{sc.overall:.2f}", "；".join(weak(sc)[1]) or "—") for sc, m in scored[:10]],
    )  # fmt: skip


def _late_cases(
    outcomes: Sequence[CaseOutcome], start: datetime, end: datetime, late_after: int
) -> list[CaseOutcome]:
    """Answered this week after more than `late_after` working days, or still open at the week's end and late."""

    def late(o: CaseOutcome) -> bool:
        if o.replied_at is not None and start <= o.replied_at < end:
            return o.workdays_to_reply is not None and o.workdays_to_reply > late_after
        open_at_end = o.replied_at is None or o.replied_at >= end
        return open_at_end and end - timedelta(days=365) <= o.submitted_at < end - timedelta(
            days=late_after * 7 / 5
        )

    found = [o for o in outcomes if late(o)]
    found.sort(key=lambda o: -(o.workdays_to_reply or 10**6))
    return found
