"""Apply the text understanding (minyi.nlp) to a stored case: topic, emotion, urgency, routing, repeats."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select
from sqlalchemy.orm import Session

from minyi.cases.models import Case, CaseBand, CaseLink, Submitter
from minyi.cases.rules import TERMINAL
from minyi.cases.store import Link
from minyi.db import table_of, utcnow
from minyi.departments.queries import routes
from minyi.departments.rules import route
from minyi.taxonomy import load_taxonomy
from minyi.understanding.batching import MicroBatch

log = logging.getLogger(__name__)
MAX_CANDIDATES = 20


@dataclass
class Understanding:
    """What the text understanding found for one message, ready to store with its case."""

    fields: dict[str, Any]
    keys: list[int] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)


# built once (they run for every message understood): the earlier cases sharing most signature bands, and their rows
_SHARED = func.count().label("shared")
_CANDIDATES = (
    select(CaseBand.case_id, _SHARED)
    .where(CaseBand.band_key.in_(bindparam("keys", expanding=True)), CaseBand.case_id != bindparam("exclude"))
    .group_by(CaseBand.case_id)
    .order_by(_SHARED.desc(), CaseBand.case_id.desc())
    .limit(MAX_CANDIDATES)
)
_CANDIDATE_ROWS = (
    select(
        Case.id,
        Case.tracking_code,
        Case.status,
        Case.department_id,
        Case.text_signature,
        Submitter.phone,
        Submitter.id_number,
    )  # fmt: skip
    .outerjoin(Submitter, Submitter.id == Case.submitter_id)
    .where(Case.id.in_(bindparam("ids", expanding=True)))
)


def find_repeats(
    session: Session, keys: list[int], sig: bytes, person: dict[str, Any] | None, exclude: int | None = None
) -> list[Link]:
    """Earlier cases about the same matter, most recent first; `same_person` by phone or ID number."""
    from minyi.nlp import repeats

    if not keys:
        return []
    params = {"keys": list(set(keys)), "exclude": -1 if exclude is None else exclude}
    candidates = [case_id for case_id, _shared in session.execute(_CANDIDATES, params)]
    if not candidates:
        return []
    rows = session.execute(_CANDIDATE_ROWS, {"ids": candidates}).all()
    phone, idn = (person or {}).get("phone"), (person or {}).get("id_number")
    links = []
    for r in sorted(rows, key=lambda r: r.id, reverse=True):
        if not r.text_signature:
            continue
        sim = float(repeats.similarity(sig, r.text_signature))
        same = bool((phone and phone == r.phone) or (idn and idn == r.id_number))
        # the same person rewording a complaint is a repeat at a lower similarity than two strangers
        if sim >= (repeats.SAME_USER_THRESHOLD if same else repeats.REPEAT_THRESHOLD):
            links.append(
                Link(r.id, r.tracking_code, round(sim, 3), same, r.status not in TERMINAL, r.department_id)
            )
    return links


def understand_text(
    session: Session,
    title: str,
    body: str,
    *,
    region_code: str | None,
    topic_code: str | None,
    person: dict[str, Any] | None = None,
    exclude: int | None = None,
    with_repeats: bool = True,
    enrichment: Any | None = None,
) -> Understanding:
    """Topic, emotion, urgency, repeats and a suggested department for one message; never raises.

    `enrichment` is the text understanding when the caller already has it (batches: `enrich_batch`).
    """
    now = utcnow()
    result = enrichment if enrichment is not None else _enrichment(title, body)
    if result is None:
        return Understanding({"understood_at": now, "needs_triage": True})
    u = Understanding({**understanding_fields(result), "understood_at": now})
    if u.fields.get("topic_suggested"):
        u.summary["topic"] = {
            "code": u.fields["topic_suggested"],
            "confidence": round(u.fields["topic_confidence"], 3),
        }
    if u.fields["urgency_flags"]:
        u.summary["urgency"] = u.fields["urgency_flags"]
    sig = getattr(result, "signature", None) or None
    u.fields["text_signature"] = sig
    u.keys = list(getattr(result, "band_keys", []) or [])
    if with_repeats and sig:
        u.links = find_repeats(session, u.keys, sig, person, exclude)
        if u.links:
            u.summary["repeats"] = [
                {"case": lk.tracking_code, "similarity": lk.similarity, "same_submitter": lk.same_person}
                for lk in u.links
            ]
    # the triage threshold applies to the department too: a doubtful topic routes nowhere, a person decides
    guessed = None if u.fields.get("needs_triage") else u.fields.get("topic_suggested")
    choice = route(routes(session), topic_code or guessed, region_code)
    if choice is not None:
        u.fields["suggested_department_id"] = choice.department_id
        u.summary["department_reason"] = choice.reason
    else:
        earlier = next((lk for lk in u.links if lk.department_id), None)
        if earlier is not None:
            u.fields["suggested_department_id"] = earlier.department_id
            u.summary["department_reason"] = f"handled a similar case ({earlier.tracking_code})"
    return u


def enrich_batch(pairs: list[tuple[str, str]]) -> list[Any | None]:
    """The text understanding of many (title, text) pairs at once: the topic model predicts them together."""
    try:
        from minyi.nlp import enrich as nlp_enrich

        return list(nlp_enrich.enrich_many(pairs))
    except Exception:  # the understanding is optional; intake never depends on it
        log.exception("text understanding unavailable")
        return [None] * len(pairs)


_TOGETHER: MicroBatch[tuple[str, str], Any | None] = MicroBatch(enrich_batch)


def enrich_together(title: str, text: str) -> Any | None:
    """The text understanding of one message, computed with those of concurrent requests (`MicroBatch`)."""
    return _TOGETHER((title, text))


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
            topic_model_version=getattr(result, "topic_version", None),
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
    fields["urgency_model_version"] = getattr(result, "urgency_version", None)
    return fields


def apply_understanding(session: Session, case: Case, u: Understanding) -> None:
    """Store an understanding on an existing case (deferred understanding, or understanding again)."""
    session.execute(delete(CaseBand).where(CaseBand.case_id == case.id))
    session.execute(delete(CaseLink).where(CaseLink.case_id == case.id))
    for name, value in u.fields.items():
        setattr(case, name, value)
    if u.links:
        case.repeat_of_case_id = next((lk for lk in u.links if lk.open), u.links[0]).other_id
        session.execute(insert(table_of(CaseLink)), [
            {"case_id": case.id, "other_case_id": lk.other_id, "similarity": lk.similarity,
             "same_submitter": lk.same_person, "created_at": utcnow()} for lk in u.links
        ])  # fmt: skip
    if u.keys:
        session.execute(
            insert(table_of(CaseBand)), [{"case_id": case.id, "band_key": k} for k in set(u.keys)]
        )


def understand(session: Session, case: Case, enrichment: Any | None = None) -> dict[str, Any]:
    """Understand a stored case in place; returns the summary for its audit record."""
    person = None
    if case.submitter_id:
        s = session.get(Submitter, case.submitter_id)
        person = {"phone": s.phone, "id_number": s.id_number} if s else None
    with session.no_autoflush:
        u = understand_text(
            session, case.title, case.body, region_code=case.region_code, topic_code=case.topic_code,
            person=person, exclude=case.id, enrichment=enrichment,
        )  # fmt: skip
        apply_understanding(session, case, u)
    return u.summary
