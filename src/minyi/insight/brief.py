"""The weekly brief (热点周报): one self-contained HTML page with volumes, hot issues, alerts and service quality."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from html import escape

from minyi.insight.charts import bar_chart, line_chart
from minyi.insight.fairness import rates_by
from minyi.insight.hot import issue_labels, rank_hot_issues
from minyi.insight.model import CaseOutcome, Message
from minyi.insight.readers import CHINA
from minyi.insight.replies import score_reply, weak
from minyi.insight.signals import region_of
from minyi.insight.surge import Alert, SurgeParams, detect_surges, issue_names, local_day

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
CSS = """body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em auto;max-width:960px;color:#222}
h1{font-size:1.6em;border-bottom:3px solid #3b6ea8;padding-bottom:.3em}h2{font-size:1.2em;margin-top:1.6em;color:#3b6ea8}
table{border-collapse:collapse;width:100%;font-size:.9em}th,td{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f2f5f9}.num{text-align:right}.muted{color:#777;font-size:.85em}.kpi{display:inline-block;margin-right:2em}
.kpi b{font-size:1.6em;display:block}@media print{body{margin:0}h2{break-after:avoid}table{break-inside:auto}}"""


def week_bounds(week: str) -> tuple[datetime, datetime]:
    """Monday 00:00 to next Monday 00:00 (China local) of an ISO week 'YYYY-Www', as UTC datetimes."""
    m = _WEEK.match(week)
    if not m:
        raise ValueError(f"week must look like 2019-W45, not {week!r}")
    monday = date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
    start = datetime.combine(monday, time(), tzinfo=CHINA)
    return start.astimezone(UTC), (start + timedelta(days=7)).astimezone(UTC)


def _table(head: Sequence[str], rows: Sequence[Sequence[object]], num: set[int] | None = None) -> str:
    num = num or set()
    th = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join(
        "<tr>"
        + "".join(f"<td{' class=num' if i in num else ''}>{escape(str(c))}</td>" for i, c in enumerate(r))
        + "</tr>"
        for r in rows
    )
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body or '<tr><td>（无）</td></tr>'}</tbody></table>"


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.0%}"


def _alerts_for_week(messages: Sequence[Message], start: datetime, params: SurgeParams | None) -> list[Alert]:
    p = params or SurgeParams()
    best: dict[tuple[str, str], Alert] = {}
    horizon = start - timedelta(days=max(p.windows) + p.baseline_days + 1)
    recent = [m for m in messages if m.time >= horizon]
    names = issue_names(recent, issue_labels(recent)) if recent and "issue" in p.kinds else {}
    for i in range(7):
        day = (start + timedelta(days=i)).astimezone(CHINA).replace(hour=12)
        for a in detect_surges(messages, day, p, issue_of=names, use_nlp=True):
            k = (a.kind, a.series)
            if k not in best or a.p_value < best[k].p_value:
                best[k] = a
    return sorted(best.values(), key=lambda a: a.p_value)


def build_brief(
    week: str,
    messages: Sequence[Message],
    outcomes: Sequence[CaseOutcome] = (),
    *,
    replies: Sequence[Message] | None = None,
    late_after: int = 15,
    top: int = 10,
    surge_params: SurgeParams | None = None,
) -> str:
    """Render the brief for ISO week `week` from messages (and optional outcomes and replied messages)."""
    start, end = week_bounds(week)
    upto = [m for m in messages if m.time < end]
    this = [m for m in upto if m.time >= start]
    prev = [m for m in upto if start - timedelta(days=7) <= m.time < start]
    days = [local_day(start + timedelta(days=i)) for i in range(7)]
    per_day = Counter(local_day(m.time) for m in this)
    weeks = [start - timedelta(days=7 * k) for k in range(11, -1, -1)]
    weekly = [sum(1 for m in upto if w <= m.time < w + timedelta(days=7)) for w in weeks]
    change = (len(this) - len(prev)) / len(prev) if prev else None
    people = len({m.user for m in this})

    out = [
        f"<!doctype html><html lang=zh-CN><meta charset=utf-8><title>热点周报 {escape(week)}</title><style>{CSS}</style><body>"
    ]
    out.append(
        f"<h1>热点周报 {escape(week)}</h1><p class=muted>{days[0]} 至 {days[-1]}（北京时间），生成于 "
        f"{datetime.now(UTC).astimezone(CHINA):%Y-%m-%d %H:%M}</p>"
    )
    out.append(
        f"<div><span class=kpi><b>{len(this)}</b>本周留言</span><span class=kpi><b>{people}</b>留言人数</span>"
        f"<span class=kpi><b>{'—' if change is None else f'{change:+.0%}'}</b>较上周</span></div>"
    )
    out.append("<h2>一、留言量与趋势</h2>")
    out.append(
        bar_chart(
            [f"{d.month}/{d.day}" for d in days], [per_day.get(d, 0) for d in days], title="本周每日留言"
        )
    )
    out.append(
        line_chart(
            [f"W{w.astimezone(CHINA).isocalendar()[1]:02d}" for w in weeks], weekly, title="近12周每周留言"
        )
    )
    reg_now = Counter(r for m in this if (r := region_of(m)))
    reg_prev = Counter(r for m in prev if (r := region_of(m)))
    out.append(
        _table(
            ["地区", "本周", "上周", "变化"],
            [(r, c, reg_prev[r], f"{c - reg_prev[r]:+d}") for r, c in reg_now.most_common(8)],
            {1, 2, 3},
        )
    )

    out.append("<h2>二、热点问题（近90天）</h2>")
    recent = [m for m in upto if m.time >= end - timedelta(days=90)]
    issues = rank_hot_issues(recent, top=top, now=end, use_nlp=True) if recent else []
    out.append(
        _table(
            ["排名", "热度", "地点/人群", "问题描述", "留言数", "人数", "点赞", "时间范围"],
            [
                (
                    h.rank,
                    f"{h.score:.2f}",
                    h.place,
                    h.description,
                    h.count,
                    h.people,
                    h.likes,
                    f"{local_day(h.first)} 至 {local_day(h.last)}",
                )
                for h in issues
            ],
            {0, 1, 4, 5, 6},
        )
    )

    out.append("<h2>三、预警</h2>")
    alerts = _alerts_for_week(upto, start, surge_params) if upto else []
    out.append(
        _table(
            ["类型", "对象", "窗口", "件数", "基线预期", "倍数", "p值"],
            [
                (
                    {"topic": "类别", "region": "地区", "issue": "热点"}[a.kind],
                    a.series,
                    f"{a.window_start}–{a.window_end}",
                    a.count,
                    f"{a.expected:.1f}",
                    f"{a.ratio:.1f}",
                    f"{a.p_value:.1e}",
                )
                for a in alerts[:15]
            ],
            {3, 4, 5, 6},
        )
    )

    out.append("<h2>四、超期办理</h2>")

    def _late(o: CaseOutcome) -> bool:
        if o.replied_at is not None and start <= o.replied_at < end:
            return o.workdays_to_reply is not None and o.workdays_to_reply > late_after
        open_at_end = o.replied_at is None or o.replied_at >= end
        return open_at_end and end - timedelta(days=365) <= o.submitted_at < end - timedelta(
            days=late_after * 7 / 5
        )

    late = [o for o in outcomes if _late(o)]
    late.sort(key=lambda o: -(o.workdays_to_reply or 10**6))
    out.append(
        f"<p>本周答复但超过 {late_after} 个工作日的，及到周末仍未答复且已超期的（近一年内提交）：共 {len(late)} 件。</p>"
    )
    out.append(
        _table(
            ["部门", "地区", "提交", "工作日"],
            [
                (
                    o.department,
                    o.region or "—",
                    local_day(o.submitted_at),
                    o.workdays_to_reply if o.workdays_to_reply is not None else "未答复",
                )
                for o in late[:15]
            ],
            {3},
        )
    )

    out.append("<h2>五、部门评分</h2>")
    rows = [
        (
            r.group,
            r.cases,
            r.evaluated,
            _pct(r.satisfied_rate),
            _pct(r.unsatisfied_rate),
            _pct(r.reopen_rate),
            _pct(r.repeat_rate),
            r.median_workdays if r.median_workdays is not None else "—",
            _pct(r.late_rate),
        )
        for r in rates_by(outcomes, "department", late_after)[:15]
    ]
    out.append(
        _table(
            ["部门", "件数", "已评价", "满意", "不满意", "重办", "重复投诉", "答复中位工作日", "超期"],
            rows,
            {1, 2, 3, 4, 5, 6, 7, 8},
        )
    )

    out.append("<h2>六、本周最弱的答复</h2>")
    week_replies = [m for m in (replies or []) if m.reply and m.reply_time and start <= m.reply_time < end]
    scored = [
        (score_reply(f"{m.title}。{m.text}", m.reply or "", m.time, m.reply_time), m) for m in week_replies
    ]
    scored.sort(key=lambda x: x[0].overall)
    out.append(
        _table(
            ["留言", "标题", "总分", "问题"],
            [(m.id, m.title[:30], f"{s.overall:.2f}", "；".join(weak(s)[1]) or "—") for s, m in scored[:10]],
            {2},
        )
    )
    out.append(
        "<p class=muted>方法见 docs/insight.md：热度指数、预警检验与答复评分均可复现。</p></body></html>"
    )
    return "".join(out)
