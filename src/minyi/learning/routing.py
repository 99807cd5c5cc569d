"""How often the department suggestion names the department that handled the case (issue 14, routing).

The truth is the department a case was last assigned to (staff settle on it, after any return). Two
suggestions are scored: the stored one (`suggested_department_id` as first made, before any correction:
it routes on the topic the submitter or intake chose when there was one), and the text-only one (the routing
table applied to the model's own topic), which is what the suggestion would be with no topic given. Each is
split by the triage flag: the threshold is meant to send the doubtful suggestions to a person.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.cases.models import Case, CaseEvent
from minyi.departments.rules import route
from minyi.understanding.apply import routes


@dataclass
class Tally:
    """Right/total, overall and split by the triage flag."""

    counts: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))

    def add(self, right: bool, triage: bool) -> None:
        for key in ("all", "triage" if triage else "confident"):
            self.counts[key][0] += int(right)
            self.counts[key][1] += 1

    def figures(self) -> dict[str, Any]:
        return {
            k: {"n": n, "accuracy": round(r / n, 4) if n else None}
            for k, (r, n) in sorted(self.counts.items())
        }


def routing_report(session: Session) -> dict[str, Any]:
    """Accuracy of the stored and the text-only suggestion, on all assigned cases and on those whose
    department staff changed (assigned to more than one department, or the suggestion corrected)."""
    assigned: dict[int, list[int]] = defaultdict(list)
    first_suggested: dict[int, int | None] = {}
    events = session.execute(
        select(CaseEvent.case_id, CaseEvent.action, CaseEvent.data)
        .where(CaseEvent.action.in_(("assign", "correct")))
        .order_by(CaseEvent.case_id, CaseEvent.seq)
    ).all()
    corrected: set[int] = set()
    for case_id, action, data in events:
        data = data or {}
        if action == "assign" and data.get("department_id") is not None:
            assigned[case_id].append(int(data["department_id"]))
            continue
        before, after = data.get("before") or {}, data.get("after") or {}
        if action == "correct" and before.get("department") != after.get("department"):
            corrected.add(case_id)
            first_suggested.setdefault(case_id, before.get("department"))
    table = routes(session)
    cases = session.execute(
        select(Case.id, Case.suggested_department_id, Case.topic_suggested, Case.region_code, Case.needs_triage)
        .where(Case.id.in_(list(assigned)))
    ).all() if assigned else []  # fmt: skip
    tallies = {name: Tally() for name in ("stored", "text_only", "changed_stored", "changed_text_only")}
    for c in cases:
        truth = assigned[c.id][-1]
        stored = first_suggested.get(c.id, c.suggested_department_id)
        choice = route(table, c.topic_suggested, c.region_code) if c.topic_suggested else None
        text_only = choice.department_id if choice is not None else None
        changed = len(set(assigned[c.id])) > 1 or c.id in corrected
        for name, value in (("stored", stored), ("text_only", text_only)):
            tallies[name].add(value == truth, bool(c.needs_triage))
            if changed:
                tallies[f"changed_{name}"].add(value == truth, bool(c.needs_triage))
    return {name: t.figures() for name, t in tallies.items()} | {"assigned_cases": len(cases)}
