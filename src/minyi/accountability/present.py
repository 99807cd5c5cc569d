"""What each audience sees of a record: staff readers the whole record; the public a decided, published record
with its texts redacted (a person's name only because the decision says it is public)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from minyi.accountability.models import AccountabilityRecord
from minyi.accountability.queries import evidence_of
from minyi.accountability.rules import form_label, ground_label, public_person, status_label
from minyi.accountability.schemas import EvidenceOut, PublicRecordOut, RecordOut
from minyi.inspection.queries import unit_names
from minyi.inspection.report import redact


def record_views(session: Session, records: list[AccountabilityRecord]) -> list[RecordOut]:
    names = unit_names(session, {r.unit_id for r in records})
    evidence = evidence_of(session, [r.id for r in records])
    return [
        RecordOut(
            id=r.id,
            unit_id=r.unit_id,
            unit_name=names.get(r.unit_id, ""),
            post=r.post,
            person=r.person,
            ground=r.ground,
            ground_label=ground_label(r.ground),
            form=r.form,
            form_label=form_label(r.form),
            summary=r.summary,
            source=r.source,
            status=r.status,
            status_label=status_label(r.status),
            response=r.response,
            decision=r.decision,
            decided_at=r.decided_at,
            public=r.public,
            version=r.version,
            created_at=r.created_at,
            evidence=[EvidenceOut(kind=e.kind, ref_id=e.ref_id) for e in evidence[r.id]],
        )  # fmt: skip
        for r in records
    ]


def public_views(session: Session, records: list[AccountabilityRecord]) -> list[PublicRecordOut]:
    names = unit_names(session, {r.unit_id for r in records})
    evidence = evidence_of(session, [r.id for r in records])
    return [
        PublicRecordOut(
            id=r.id,
            unit_name=names.get(r.unit_id, ""),
            post=r.post,
            person=public_person(r.status, r.public, r.person),
            ground_label=ground_label(r.ground),
            form_label=form_label(r.form),
            summary=redact(r.summary),
            response=redact(r.response) if r.response else None,
            decision=redact(r.decision or ""),
            decided_at=r.decided_at,
            case_ids=[e.ref_id for e in evidence[r.id] if e.kind == "case"],
        )  # fmt: skip
        for r in records
    ]
