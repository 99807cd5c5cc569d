"""The public rectification report (整改情况通报): generated once from the record, redacted, then published.

What is published: the round, the findings, each item with its responsible unit and post, measures, deadline,
status and what was done (the latest report of the unit). Every text passes `minyi.nlp.pii.redact`; letters,
calls and clues are never part of it.
"""

from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.inspection.models import InspectionRound, RectificationItem
from minyi.inspection.queries import progress_by_item, unit_names
from minyi.nlp.pii import redact as redact_piece

_SENTENCE_END = re.compile(r"([；;。！？!?\n])")


def redact(text: str) -> str:
    """Redact sentence by sentence, so that a name opening a sentence is found wherever the sentence stands."""
    return "".join(redact_piece(p) if i % 2 == 0 else p for i, p in enumerate(_SENTENCE_END.split(text)))


def build_report(session: Session, rnd: InspectionRound) -> str:
    """The report as JSON text, every free text redacted (stored on the round when published)."""
    items = session.scalars(
        select(RectificationItem)
        .where(RectificationItem.round_id == rnd.id)
        .order_by(RectificationItem.number)
    ).all()
    names = unit_names(session, {rnd.unit_id, *(i.unit_id for i in items)})
    progress = progress_by_item(session, [i.id for i in items])
    out_items = []
    for i in items:
        latest = progress[i.id][-1].done if progress[i.id] else ""
        out_items.append({
            "number": i.number, "problem": redact(i.problem), "unit": names.get(i.unit_id, ""), "post": i.post,
            "measures": redact(i.measures), "due_on": i.due_on.isoformat(), "status": i.status,
            "done": redact(latest), "decision": redact(i.decision_reason or ""),
        })  # fmt: skip
    counts = {s: sum(1 for i in items if i.status == s) for s in ("accepted", "reported", "rejected", "open")}
    report: dict[str, Any] = {
        "round_id": rnd.id, "title": rnd.title, "unit": names.get(rnd.unit_id, ""),
        "starts_on": rnd.starts_on.isoformat(), "ends_on": rnd.ends_on.isoformat(),
        "findings": redact(rnd.findings or ""), "items": out_items, "counts": counts, "total": len(items),
    }  # fmt: skip
    return json.dumps(report, ensure_ascii=False)


def read_report(rnd: InspectionRound) -> dict[str, Any] | None:
    """The published report, or None before publication."""
    if rnd.report_json is None or rnd.report_published_at is None:
        return None
    data: dict[str, Any] = json.loads(rnd.report_json)
    data["published_at"] = rnd.report_published_at.isoformat()
    return data
