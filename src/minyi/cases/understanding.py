"""Apply the text understanding (minyi.nlp) to a stored case: topic, emotion, urgency, routing, repeats."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.cases.models import Case, CaseBand, CaseLink
from minyi.cases.rules import TERMINAL
from minyi.departments.models import RoutingRule
from minyi.departments.rules import Route, route
from minyi.taxonomy import load_taxonomy

log = logging.getLogger(__name__)
MAX_CANDIDATES = 50


def routes(session: Session) -> list[Route]:
    """The routing table as plain rules."""
    rows = session.scalars(select(RoutingRule)).all()
    return [Route(r.topic_prefix, r.region_prefix, r.department_id, r.priority) for r in rows]


def suggest_department(session: Session, case: Case) -> tuple[int | None, str | None]:
    """Topic and region through the routing table; else the department that handled the closest repeat."""
    topic = case.topic_code or case.topic_suggested
    choice = route(routes(session), topic, case.region_code)
    if choice is not None:
        return choice.department_id, choice.reason
    if case.repeat_of_case_id:
        earlier = session.get(Case, case.repeat_of_case_id)
        if earlier is not None and earlier.department_id:
            return earlier.department_id, f"handled a similar case ({earlier.tracking_code})"
    return None, None


def link_repeats(
    session: Session, case: Case, keys: list[int], similarity_of: Any, threshold: float
) -> list[dict]:  # type: ignore[type-arg]
    """Store the case's band keys and link it to earlier cases about the same matter."""
    links: list[dict] = []  # type: ignore[type-arg]
    if not keys:
        return links
    candidates = session.scalars(
        select(CaseBand.case_id).where(CaseBand.band_key.in_(keys), CaseBand.case_id != case.id).distinct()
        .limit(MAX_CANDIDATES)
    ).all()  # fmt: skip
    for other in session.scalars(select(Case).where(Case.id.in_(candidates))) if candidates else []:
        sim = float(similarity_of(other.title + "\n" + other.body))
        if sim < threshold:
            continue
        same = bool(case.submitter_id and other.submitter_id == case.submitter_id)
        session.add(CaseLink(case_id=case.id, other_case_id=other.id, similarity=sim, same_submitter=same))
        links.append({"case": other.tracking_code, "similarity": round(sim, 3), "same_submitter": same})
        if case.repeat_of_case_id is None or other.status not in TERMINAL:
            case.repeat_of_case_id = other.id
    session.add_all(CaseBand(case_id=case.id, band_key=k) for k in set(keys))
    return links


def _enrichment(title: str, text: str) -> Any | None:
    """The text understanding of a message, or None when it is not installed or fails."""
    try:
        from minyi.nlp import enrich as nlp_enrich

        return nlp_enrich.enrich(title, text)
    except Exception:  # the understanding is optional; intake never depends on it
        log.exception("text understanding unavailable")
        return None


def understanding_fields(result: Any) -> dict[str, Any]:
    """Case column values from an enrichment result."""
    fields: dict[str, Any] = {"needs_triage": True}
    topic = getattr(result, "topic", None)
    if topic is not None:
        fields.update(
            topic_suggested=load_taxonomy().code_of_level1(topic.label),
            topic_confidence=float(topic.confidence),
            needs_triage=bool(topic.needs_triage),
        )
    emotion = getattr(result, "emotion", None)
    if emotion is not None:
        fields.update(
            emotion_negativity=float(emotion.negativity), emotion_intensity=float(emotion.intensity)
        )
    fields["urgency_flags"] = [
        {"flag": f.flag, "words": list(f.words)} for f in getattr(result, "urgency", []) or []
    ]
    fields["urgent"] = bool(getattr(result, "is_urgent", False))
    return fields


def apply_enrichment(values: dict[str, Any], title: str, text: str) -> list[int]:
    """Fill a row of case values for bulk import; returns the repeat band keys to store."""
    result = _enrichment(title, text)
    if result is None:
        return []
    values.update(understanding_fields(result))
    return list(getattr(result, "band_keys", []) or [])


def understand(session: Session, case: Case) -> dict[str, Any]:
    """Enrich the case in place and return a summary for the audit record; never fails intake."""
    summary: dict[str, Any] = {}
    result = _enrichment(case.title, case.body)
    if result is None:
        return summary
    fields = understanding_fields(result)
    for name, value in fields.items():
        setattr(case, name, value)
    if case.topic_suggested:
        summary["topic"] = {"code": case.topic_suggested, "confidence": round(case.topic_confidence or 0, 3)}
    if case.urgency_flags:
        summary["urgency"] = case.urgency_flags
    sig = getattr(result, "signature", None)
    keys = list(getattr(result, "band_keys", []) or [])
    if sig is not None and keys:
        from minyi.nlp import repeats

        def similarity_of(text: str) -> float:
            return float(repeats.similarity(sig, repeats.signature(text)))

        links = link_repeats(session, case, keys, similarity_of, repeats.REPEAT_THRESHOLD)
        if links:
            summary["repeats"] = links
    dept, reason = suggest_department(session, case)
    case.suggested_department_id = dept
    if reason:
        summary["department_reason"] = reason
    return summary
