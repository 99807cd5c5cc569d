"""What the public and the submitter see of a case, built on the core's masked public serialisation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from minyi.cases import present as core
from minyi.cases.models import Case
from minyi.portal.queries import department_names, region_names, topic_label


@dataclass
class PublicStep:
    """One public step of the timeline."""

    at: datetime
    action: str
    to_status: str | None
    note: str | None


@dataclass
class PublicView:
    """A case as the public (or the submitter, by tracking code) sees it, with labels resolved."""

    id: int
    kind: str
    title: str
    body: str
    status: str
    due_at: datetime | None
    registered_at: datetime
    topic: str
    region: str
    department: str
    reply: str | None
    replied_at: datetime | None
    evaluation: str | None
    round: int = 1
    decline_reason: str | None = None
    timeline: list[PublicStep] = field(default_factory=list)


def public_views(session: Session, cases: list[Case], english: bool = False) -> list[PublicView]:
    """Masked summaries of many cases with two lookups in all (regions and departments), for lists."""
    regions = region_names(session, {c.region_code for c in cases if c.region_code})
    depts = department_names(session, {c.department_id for c in cases if c.department_id}, english)
    known = core.known_identities(session, cases)
    return [
        PublicView(
            id=c.id,
            kind=c.kind,
            title=core.mask(c.title, known.get(c.id)) or "",
            body=core.mask(c.body, known.get(c.id)) or "",
            status=c.status,
            due_at=c.due_at,
            registered_at=c.registered_at,
            topic=topic_label(c.topic_code or c.topic_suggested),
            region=regions.get(c.region_code or "", ""),
            department=depts.get(c.department_id or 0, ""),
            reply=core.mask(c.reply_text, known.get(c.id)),
            replied_at=c.replied_at,
            evaluation=c.evaluation,
            round=c.round,
        )  # fmt: skip
        for c in cases
    ]


def public_page(session: Session, case: Case, english: bool = False) -> PublicView:
    """One case through the core's `public_view` (masked text, public history only), labels added."""
    pub = core.public_view(session, case, with_code=False)
    regions = region_names(session, {pub.region_code} if pub.region_code else set())
    department = pub.department or ""
    if english and case.department_id:
        department = department_names(session, {case.department_id}, True).get(case.department_id, department)
    return PublicView(
        id=case.id, kind=pub.kind, title=pub.title, body=pub.body, status=pub.status, due_at=pub.due_at,
        registered_at=pub.registered_at, topic=topic_label(pub.topic_code), region=regions.get(pub.region_code or "", ""),
        department=department, reply=pub.reply, replied_at=pub.replied_at, evaluation=pub.evaluation,
        round=pub.round, decline_reason=pub.decline_reason,
        timeline=[PublicStep(t.at, t.action, t.to_status, t.note) for t in pub.timeline],
    )  # fmt: skip
