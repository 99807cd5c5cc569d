"""Evaluate the risk list (issue 12 §3): how many weeks before the ladder's 通报 it flags deteriorating
departments, and how often it flags healthy ones.

Usage: python bench/eval_risk.py [--seeds 20] [--departments 40] [--planted 8] [--weeks 36]

Each seed generates a city of departments, week by week. Every department has its own volume and its own
baseline (late share, dissatisfaction, repeats, collective matters) with week-to-week noise; the planted ones
start to deteriorate at a random week (onset) and get worse linearly over eight weeks. A case is due three weeks
after registration; a late one waits a random number of extra weeks (longer as a department deteriorates). The
ladder's 通报 (the accountability rung, ten working days after the deadline) fires for a case answered more than
two weeks late, at its deadline week + 2. At the end of every week the risk list (`minyi.accountability.risk`)
is computed from what is known then (lateness of cases already due, evaluations already given, registrations).

Measured, over every planted department: the first week it is flagged at or after onset, against the first 通报
for one of its cases registered at or after onset (earlier 通报 are the department's usual noise) ("weeks earlier" = 通报 week - flag week); missed ones (never flagged
while the ladder fired). False flags: healthy departments flagged in any week after the warm-up, and planted ones
flagged before their onset; reported per department and per department-week.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
from dataclasses import dataclass, field

from minyi.accountability.risk import History, Week, assess

HISTORY = 10  # weeks the risk list reads (as `risk_queries.WEEKS`)
WARMUP = 12  # weeks generated before anything is judged
DUE_AFTER = 3  # weeks from registration to the handling deadline
LADDER_AFTER = 2  # the 通报 rung: ten working days after the deadline


@dataclass
class Dept:
    volume: float
    late: float
    unsat: float
    repeat: float
    collective: float
    onset: int | None = None
    weeks: dict[int, dict[str, int]] = field(default_factory=dict)
    ladder: list[tuple[int, int]] = field(
        default_factory=list
    )  # (week a 通报 fired, week the case was registered)

    def level(self, week: int) -> float:
        """How far the department has deteriorated (0 healthy, 1 after eight weeks of decline)."""
        if self.onset is None or week < self.onset:
            return 0.0
        return min(1.0, (week - self.onset + 1) / 8)


def _bump(d: Dept, week: int, key: str) -> None:
    d.weeks.setdefault(week, {}).setdefault(key, 0)
    d.weeks[week][key] += 1


def _poisson(rng: random.Random, lam: float) -> int:
    # Knuth for small means, normal approximation for large ones
    if lam > 30:
        return max(0, round(rng.gauss(lam, lam**0.5)))
    limit, k, p = pow(2.718281828, -lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def simulate(rng: random.Random, n_depts: int, planted: int, weeks: int) -> list[Dept]:
    depts = [
        Dept(
            volume=rng.uniform(6, 60),
            late=rng.uniform(0.03, 0.12),
            unsat=rng.uniform(0.08, 0.22),
            repeat=rng.uniform(0.02, 0.08),
            collective=rng.uniform(0.0, 0.04),
        )  # fmt: skip
        for _ in range(n_depts)
    ]
    for d in rng.sample(depts, planted):
        d.onset = rng.randint(WARMUP + 2, weeks - 10)
    for d in depts:
        for w in range(weeks):
            x = d.level(w)
            wobble = rng.lognormvariate(0, 0.25)  # a week's own luck, for every department
            p_late = min(0.95, (d.late + 0.40 * x) * wobble)
            p_unsat = min(0.95, (d.unsat + 0.25 * x) * wobble)
            p_rep = min(0.9, (d.repeat + 0.12 * x) * wobble)
            for _ in range(_poisson(rng, d.volume * (1 + 0.3 * x))):
                _bump(d, w, "registered")
                if rng.random() < p_rep:
                    _bump(d, w, "repeats")
                due = w + DUE_AFTER
                late_by = 0
                if rng.random() < p_late:  # extra weeks past the deadline: longer as the department declines
                    late_by = 1 + int(rng.expovariate(1 / (0.6 + 2.0 * x)))
                _bump(d, due, "due")
                if late_by:
                    _bump(d, due, "late")
                    if late_by > LADDER_AFTER:
                        d.ladder.append((due + LADDER_AFTER, w))
                answered = due + late_by if late_by else due - rng.randint(0, 2)
                if rng.random() < 0.6:  # six in ten answers are evaluated, a week after the answer
                    _bump(d, answered + 1, "evaluated")
                    if rng.random() < min(0.95, p_unsat + (0.25 if late_by else 0)):
                        _bump(d, answered + 1, "unsatisfied")
            if rng.random() < d.collective + 0.15 * x:
                _bump(d, w, "collective")
    return depts


def history_at(d: Dept, t: int) -> History:
    """What the record shows at the end of week t (nothing due, evaluated or registered after t)."""
    span = range(t - HISTORY + 1, t + 1)
    return History(0, tuple(Week(**d.weeks.get(w, {})) for w in span))


def evaluate(seed: int, n_depts: int, planted: int, weeks: int) -> dict[str, list[float] | int]:
    rng = random.Random(seed)
    depts = simulate(rng, n_depts, planted, weeks)
    earlier: list[float] = []
    out: dict[str, list[float] | int] = {"earlier": earlier, "missed": 0, "no_ladder": 0, "flagged_first_only": 0,
                                         "false_depts": 0, "false_weeks": 0, "healthy_weeks": 0, "healthy": 0, "ladder_healthy": 0}  # fmt: skip
    for d in depts:
        flags = [t for t in range(WARMUP, weeks) if assess(history_at(d, t)) is not None]
        if d.onset is None:
            out["healthy"] += 1  # type: ignore[operator]
            out["ladder_healthy"] += any(t >= WARMUP for t, _ in d.ladder)  # type: ignore[operator]
            out["healthy_weeks"] += weeks - WARMUP  # type: ignore[operator]
            out["false_weeks"] += len(flags)  # type: ignore[operator]
            out["false_depts"] += bool(flags)  # type: ignore[operator]
            continue
        early = [t for t in flags if t < d.onset]
        out["false_weeks"] += len(early)  # type: ignore[operator]
        out["healthy_weeks"] += d.onset - WARMUP  # type: ignore[operator]
        flag = next((t for t in flags if t >= d.onset), None)
        ladder = min((t for t, registered in d.ladder if registered >= d.onset), default=None)
        if ladder is None or ladder >= weeks:
            out["no_ladder"] += 1  # type: ignore[operator]
            continue
        if flag is None or flag > ladder:
            out["missed"] += 1  # type: ignore[operator]
            if flag is not None:
                earlier.append(ladder - flag)
            continue
        earlier.append(ladder - flag)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--departments", type=int, default=40)
    ap.add_argument("--planted", type=int, default=8)
    ap.add_argument("--weeks", type=int, default=36)
    args = ap.parse_args()
    earlier: list[float] = []
    totals = {
        "missed": 0,
        "no_ladder": 0,
        "false_depts": 0,
        "false_weeks": 0,
        "healthy_weeks": 0,
        "healthy": 0,
        "ladder_healthy": 0,
    }
    for seed in range(args.seeds):
        res = evaluate(seed, args.departments, args.planted, args.weeks)
        earlier += res["earlier"]  # type: ignore[arg-type]
        for k in totals:
            totals[k] += res[k]  # type: ignore[operator]
    planted = args.seeds * args.planted
    judged = planted - totals["no_ladder"]
    before = sum(1 for e in earlier if e > 0)
    print(
        f"seeds {args.seeds}, {args.departments} departments each ({args.planted} planted), {args.weeks} weeks"
    )
    print(f"planted departments judged (the ladder fired after onset): {judged} of {planted}")
    print(f"flagged before the ladder's 通报: {before} ({before / judged:.0%}); same week: "
          f"{sum(1 for e in earlier if e == 0)}; after or never: {judged - before - sum(1 for e in earlier if e == 0)}")  # fmt: skip
    if earlier:
        q = statistics.quantiles(earlier, n=4)
        print(f"weeks earlier than 通报: median {statistics.median(earlier):.1f}, mean {statistics.mean(earlier):.2f}, "
              f"quartiles {q[0]:.1f} / {q[2]:.1f}")  # fmt: skip
    print(f"false flags: {totals['false_depts']} of {totals['healthy']} healthy departments flagged at least once "
          f"({totals['false_depts'] / totals['healthy']:.1%}); {totals['false_weeks']} of {totals['healthy_weeks']} "
          f"healthy department-weeks ({totals['false_weeks'] / totals['healthy_weeks']:.2%})")  # fmt: skip
    print(
        f"for comparison, healthy departments that got a 通报 anyway: {totals['ladder_healthy']} of {totals['healthy']}"
    )
    print(f"load average: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
