"""Dissatisfaction and fairness: satisfaction, reopen and repeat rates by group, and unequal service tests."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from scipy import stats

from minyi.insight.model import CaseOutcome

if TYPE_CHECKING:
    from minyi.insight.replies import WorkdayCounter

GroupBy = Literal["department", "region", "topic"]
_SCORE = {"satisfied": 1.0, "partly": 0.5, "unsatisfied": 0.0}


@dataclass(slots=True)
class GroupRates:
    """Outcome rates of one department, region or topic."""

    group: str
    cases: int
    evaluated: int
    satisfied_rate: float | None
    unsatisfied_rate: float | None
    satisfaction_score: float | None  # satisfied 1, partly 0.5, unsatisfied 0
    reopen_rate: float
    repeat_rate: float
    median_workdays: float | None
    late_rate: float | None


def _key(o: CaseOutcome, by: GroupBy) -> str:
    return getattr(o, by) or "（未知）"


def rates_by(
    outcomes: Iterable[CaseOutcome], by: GroupBy = "department", late_after: int = 15
) -> list[GroupRates]:
    """Rates per group, most cases first; rates over evaluated cases are None when nobody evaluated."""
    groups: dict[str, list[CaseOutcome]] = defaultdict(list)
    for o in outcomes:
        groups[_key(o, by)].append(o)
    out = []
    for g, cases in groups.items():
        ev = [o.evaluation for o in cases if o.evaluation in _SCORE]
        wd = [o.workdays_to_reply for o in cases if o.workdays_to_reply is not None]
        out.append(
            GroupRates(
                group=g,
                cases=len(cases),
                evaluated=len(ev),
                satisfied_rate=sum(e == "satisfied" for e in ev) / len(ev) if ev else None,
                unsatisfied_rate=sum(e == "unsatisfied" for e in ev) / len(ev) if ev else None,
                satisfaction_score=statistics.fmean(_SCORE[e] for e in ev if e) if ev else None,
                reopen_rate=sum(o.reopened for o in cases) / len(cases),
                repeat_rate=sum(o.repeat for o in cases) / len(cases),
                median_workdays=float(statistics.median(wd)) if wd else None,
                late_rate=sum(w > late_after for w in wd) / len(wd) if wd else None,
            )
        )
    return sorted(out, key=lambda r: (-r.cases, r.group))


@dataclass(slots=True)
class UnequalService:
    """Does service differ between groups more than chance allows? Overall test plus groups worse than the rest."""

    by: str
    metric: str
    test: str
    statistic: float
    p_value: float
    groups: dict[str, float] = field(default_factory=dict)
    worse: list[tuple[str, float]] = field(
        default_factory=list
    )  # (group, p vs the rest, Bonferroni-adjusted)

    @property
    def significant(self) -> bool:
        """Unequal at the 5% level."""
        return self.p_value < 0.05


def unequal_service(
    outcomes: Sequence[CaseOutcome],
    by: GroupBy = "region",
    metric: Literal["workdays", "satisfaction"] = "workdays",
    min_cases: int = 5,
) -> UnequalService | None:
    """Kruskal–Wallis on working days to reply, or chi-square on satisfied/not, across groups with enough cases."""
    groups: dict[str, list[float]] = defaultdict(list)
    for o in outcomes:
        if metric == "workdays" and o.workdays_to_reply is not None:
            groups[_key(o, by)].append(float(o.workdays_to_reply))
        elif metric == "satisfaction" and o.evaluation in _SCORE:
            groups[_key(o, by)].append(1.0 if o.evaluation == "satisfied" else 0.0)
    groups = {g: v for g, v in groups.items() if len(v) >= min_cases}
    if len(groups) < 2:
        return None
    names = sorted(groups)
    if metric == "workdays":
        res = stats.kruskal(*(groups[g] for g in names))
        stat, p, test = float(res.statistic), float(res.pvalue), "Kruskal–Wallis"
        summary = {g: float(statistics.median(groups[g])) for g in names}
    else:
        table = [[sum(groups[g]), len(groups[g]) - sum(groups[g])] for g in names]
        if any(sum(col) == 0 for col in zip(*table, strict=True)):
            return UnequalService(
                by, metric, "chi-square", 0.0, 1.0, {g: statistics.fmean(groups[g]) for g in names}
            )
        chi = stats.chi2_contingency(table)
        stat, p, test = float(chi[0]), float(chi[1]), "chi-square"
        summary = {g: statistics.fmean(groups[g]) for g in names}
    worse = []
    for g in names:
        rest = [x for h in names if h != g for x in groups[h]]
        # Worse = slower replies, or fewer satisfied.
        alt = "greater" if metric == "workdays" else "less"
        pg = float(stats.mannwhitneyu(groups[g], rest, alternative=alt).pvalue) * len(names)
        if pg < 0.05:
            worse.append((g, min(pg, 1.0)))
    return UnequalService(by, metric, test, stat, p, summary, sorted(worse, key=lambda x: x[1]))


def outcomes_from_messages(
    messages: Iterable[object], late_after: int = 15, count_workdays: WorkdayCounter | None = None
) -> list[CaseOutcome]:
    """Outcomes derivable from replied messages in files (no evaluation data there): region, topic, timing."""
    from minyi.deadlines.workcal import WorkCalendar
    from minyi.insight.model import Message
    from minyi.insight.signals import region_of

    count = count_workdays or WorkCalendar().workdays_elapsed

    out = []
    for m in messages:
        if not isinstance(m, Message):
            continue
        wd = count(m.time, m.reply_time) if m.reply_time else None
        out.append(
            CaseOutcome(
                department=m.department or "（未知）",
                region=region_of(m),
                topic=m.topic,
                submitted_at=m.time,
                replied_at=m.reply_time,
                workdays_to_reply=wd,
                evaluation=None,
            )
        )
    return out
