"""Apply the text understanding (minyi.nlp) to a stored case: topic, emotion, urgency, routing, repeats."""

from __future__ import annotations

import logging
import time
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from minyi.cases.models import Case, CaseBand, CaseLink
from minyi.cases.rules import TERMINAL
from minyi.db import bind_key, table_of, utcnow
from minyi.departments.models import RoutingRule
from minyi.departments.rules import Route, route
from minyi.taxonomy import load_taxonomy

log = logging.getLogger(__name__)
MAX_CANDIDATES = 20


_ROUTES_TTL = 30.0
_routes_cache: dict[str, tuple[float, list[Route]]] = {}


def routes(session: Session) -> list[Route]:
    """The routing table as plain rules (cached for half a minute per database: it changes rarely)."""
    key = bind_key(session)
    hit = _routes_cache.get(key)
    if hit is not None and time.monotonic() - hit[0] < _ROUTES_TTL:
        return hit[1]
    rows = session.execute(
        select(
            RoutingRule.topic_prefix,
            RoutingRule.region_prefix,
            RoutingRule.department_id,
            RoutingRule.priority,
        )
    ).all()
    table = [Route(*r) for r in rows]
    _routes_cache[key] = (time.monotonic(), table)
    return table


def forget_routes() -> None:
    """Drop the cached routing table (after an administrator changes it)."""
    _routes_cache.clear()


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
) -> list[dict[str, Any]]:
    """Store the case's band keys and link it to the most recent earlier cases about the same matter."""
    links: list[dict[str, Any]] = []
    if case.event_count:  # understood before: start afresh
        session.execute(delete(CaseBand).where(CaseBand.case_id == case.id))
        session.execute(delete(CaseLink).where(CaseLink.case_id == case.id))
    if not keys:
        return links
    shared = func.count().label("shared")
    candidates = session.execute(
        select(CaseBand.case_id, shared)
        .where(CaseBand.band_key.in_(set(keys)), CaseBand.case_id != case.id)
        .group_by(CaseBand.case_id)
        .order_by(shared.desc(), CaseBand.case_id.desc())
        .limit(MAX_CANDIDATES)
    ).all()
    if candidates:
        rows = session.execute(
            select(Case.id, Case.tracking_code, Case.status, Case.submitter_id, Case.text_signature).where(
                Case.id.in_([c.case_id for c in candidates])
            )
        ).all()
        for other in sorted(rows, key=lambda r: r.id, reverse=True):
            if not other.text_signature:
                continue
            sim = float(similarity_of(other.text_signature))
            if sim < threshold:
                continue
            same = bool(case.submitter_id and other.submitter_id == case.submitter_id)
            session.add(
                CaseLink(case_id=case.id, other_case_id=other.id, similarity=sim, same_submitter=same)
            )
            links.append({"case": other.tracking_code, "similarity": round(sim, 3), "same_submitter": same})
            if case.repeat_of_case_id is None and other.status not in TERMINAL:
                case.repeat_of_case_id = other.id
    session.execute(insert(table_of(CaseBand)), [{"case_id": case.id, "band_key": k} for k in set(keys)])
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
    values["text_signature"] = getattr(result, "signature", None) or None
    values["understood_at"] = utcnow()
    return list(getattr(result, "band_keys", []) or [])


def understand(session: Session, case: Case) -> dict[str, Any]:
    """Enrich the case in place and return a summary for the audit record; never fails intake."""
    with session.no_autoflush:
        return _understand(session, case)


def _understand(session: Session, case: Case) -> dict[str, Any]:
    summary: dict[str, Any] = {}
    case.understood_at = utcnow()
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

        case.text_signature = sig

        def similarity_of(other_sig: bytes) -> float:
            return float(repeats.similarity(sig, other_sig))

        links = link_repeats(session, case, keys, similarity_of, repeats.REPEAT_THRESHOLD)
        if links:
            summary["repeats"] = links
    dept, reason = suggest_department(session, case)
    case.suggested_department_id = dept
    if reason:
        summary["department_reason"] = reason
    return summary
