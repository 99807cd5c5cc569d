"""The risk list before the harm: which departments are deteriorating, and why, from their weekly record. Pure.

Each signal compares the last `RECENT` weeks with the weeks before them: a share flags when it is high in itself
(a floor) and improbably higher than the department's own past (a one-sided binomial z-score against the
smoothed baseline), so that a small department's one bad week does not make a flag. Collective matters flag
when improbably many for the department (Poisson tail), rectification items slipping on their own. Every entry carries its reasons, with the numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

RECENT = 3  # weeks compared with the weeks before them
MIN_N = 6  # cases needed in the recent weeks before a share can flag
Z = 3.0  # how improbable the rise must be under the department's own baseline
ALPHA = 0.005  # the same for a count (collective matters) under the department's own weekly rate


@dataclass(frozen=True)
class Week:
    """One department-week of the record."""

    due: int = 0  # cases whose deadline fell in the week
    late: int = 0  # of those, answered after it or still waiting
    evaluated: int = 0
    unsatisfied: int = 0
    registered: int = 0
    repeats: int = 0  # registered again by people who had already asked
    collective: int = 0  # matters raised by three or more people, first reaching three in the week


@dataclass(frozen=True)
class History:
    department_id: int
    weeks: tuple[Week, ...]  # oldest first; the last is the week just ended
    slipping: int = 0  # rectification items past their deadline, or reminded and not reported


@dataclass(frozen=True)
class Reason:
    code: str
    zh: str
    en: str


@dataclass(frozen=True)
class Risk:
    department_id: int
    score: float
    reasons: tuple[Reason, ...]


def _sums(weeks: tuple[Week, ...], num: str, den: str) -> tuple[int, int]:
    return sum(getattr(w, num) for w in weeks), sum(getattr(w, den) for w in weeks)


def poisson_tail(k: int, lam: float) -> float:
    """P(X >= k) for X ~ Poisson(lam)."""
    term, below = math.exp(-lam), 0.0
    for i in range(k):
        below += term
        term *= lam / (i + 1)
    return max(0.0, 1.0 - below)


def more_than_usual(k: int, base_k: int, base_weeks: int) -> bool:
    """At least two in the recent weeks, and improbably many under the department's own (smoothed) rate."""
    lam = (base_k + 0.5) / max(base_weeks, 1) * RECENT
    return k >= 2 and poisson_tail(k, lam) < ALPHA


def rising(k: int, n: int, base_k: int, base_n: int, floor: float) -> float | None:
    """The z-score of a recent share k/n over the smoothed baseline, when it flags (else None)."""
    if n < MIN_N:
        return None
    p = (base_k + 1) / (base_n + 2)
    share = k / n
    z = (share - p) / math.sqrt(p * (1 - p) / n)
    return z if share >= floor and z >= Z else None


SIGNALS = (  # code, numerator, denominator, floor, zh, en
    ("overdue", "late", "due", 0.2, "超期率", "overdue share"),
    ("unsatisfied", "unsatisfied", "evaluated", 0.3, "不满意率", "unsatisfied share"),
    ("repeats", "repeats", "registered", 0.15, "重复投诉率", "repeat complaints"),
)


def assess(h: History) -> Risk | None:
    """The department's entry on the risk list with its reasons, or None when nothing flags."""
    recent, before = h.weeks[-RECENT:], h.weeks[:-RECENT]
    reasons: list[Reason] = []
    score = 0.0
    for code, num, den, floor, zh, en in SIGNALS:
        k, n = _sums(recent, num, den)
        bk, bn = _sums(before, num, den)
        z = rising(k, n, bk, bn, floor)
        if z is None:
            continue
        share, base = k / n, (bk / bn if bn else 0.0)
        reasons.append(Reason(code, f"近{RECENT}周{zh} {share:.0%}（此前 {base:.0%}；{n} 件）",
                              f"{en} {share:.0%} in the last {RECENT} weeks ({base:.0%} before; {n} cases)"))  # fmt: skip
        score += min(z, 10.0)
    k, bk = sum(w.collective for w in recent), sum(w.collective for w in before)
    if more_than_usual(k, bk, len(before)):
        reasons.append(Reason("collective", f"近{RECENT}周 {k} 件多人反映的同一问题（此前 {bk} 件）",
                              f"{k} matters raised by three or more people in the last {RECENT} weeks ({bk} before)"))  # fmt: skip
        score += 2.0 * k
    if h.slipping:
        reasons.append(Reason("rectification", f"{h.slipping} 项整改事项逾期或临期未报",
                              f"{h.slipping} rectification items late or due without a report"))  # fmt: skip
        score += 3.0 * h.slipping
    return Risk(h.department_id, round(score, 2), tuple(reasons)) if reasons else None


def risk_list(histories: list[History]) -> list[Risk]:
    """Every department that flags, the most at risk first."""
    risks = [r for h in histories if (r := assess(h)) is not None]
    return sorted(risks, key=lambda r: (-r.score, r.department_id))
