"""What one case adds to the scoreboard's months, pure: the one home of the rollup's counting rules, mirroring
the scoreboard read from the record (portal.queries) field by field."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date

Cell = tuple[int, date]  # (department, first day of the local month of registration)


@dataclass(frozen=True)
class Facts:
    """The facts of a case the scoreboard counts."""

    month: date
    department_id: int | None
    replied: bool
    on_time: bool
    evaluated: bool
    satisfied: bool
    rehandled: bool
    reply_days: int | None
    households: int | None
    returns: tuple[int | None, ...] = ()  # the department of each return (退回) event
    escalations: tuple[int | None, ...] = ()  # the department of each rung at level 2 or above

    def dumps(self) -> str:
        d = {**self.__dict__, "month": self.month.isoformat()}  # flat values: no deep copy (asdict's) needed
        return json.dumps(d, separators=(",", ":"))

    @staticmethod
    def loads(text: str) -> Facts:
        d = json.loads(text)
        d["month"] = date.fromisoformat(d["month"])
        return Facts(**{**d, "returns": tuple(d["returns"]), "escalations": tuple(d["escalations"])})


def contribution(f: Facts | None) -> dict[Cell, Counter[str]]:
    """The figures a case adds to each (department, month): its own department's handling figures, the returns
    against the departments that returned it (still received by them), the rungs against their departments."""
    cells: dict[Cell, Counter[str]] = {}
    if f is None:
        return cells

    def at(dep: int) -> Counter[str]:
        return cells.setdefault((dep, f.month), Counter())

    d = f.department_id
    if d is not None:
        c = at(d)
        c["received"] += 1
        c["replied"] += f.replied
        c["on_time"] += f.on_time
        c["evaluated"] += f.evaluated
        c["satisfied"] += f.satisfied
        c["rehandled"] += f.rehandled
        if f.replied and f.reply_days is not None:
            c["reply_days_sum"] += f.reply_days
            c["reply_days_n"] += 1
        if f.households is not None and f.households >= 2:
            c["group_demands"] += 1
            c["households"] += f.households
    for dep in f.returns:
        if dep is not None:
            at(dep)["returned"] += 1
            at(dep)["returns_sent_back"] += dep == d
    for dep in {r for r in f.returns if r is not None and r != d}:
        at(dep)["received"] += 1
    for dep in f.escalations:
        if dep is not None:
            at(dep)["escalated"] += 1
    return cells


def difference(old: Facts | None, new: Facts | None) -> dict[Cell, dict[str, int]]:
    """What to add to each month's figures when a case's facts go from `old` to `new` (zeros left out)."""
    before, after = contribution(old), contribution(new)
    out: dict[Cell, dict[str, int]] = {}
    for cell in before.keys() | after.keys():
        a, b = after.get(cell, Counter()), before.get(cell, Counter())
        delta = {k: a[k] - b[k] for k in a.keys() | b.keys() if a[k] != b[k]}
        if delta:
            out[cell] = delta
    return out
