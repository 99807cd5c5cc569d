"""What each audience sees of invited opinions and the hearing: names and signatures public, contacts not."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minyi import locale
from minyi.consultation import expert_rules as er
from minyi.consultation.experts import invitation_token
from minyi.consultation.models import Consultation, ExpertOpinion, HearingRegistration


def _opinions(session: Session, c: Consultation) -> list[ExpertOpinion]:
    stmt = select(ExpertOpinion).where(ExpertOpinion.consultation_id == c.id).order_by(ExpertOpinion.id)
    return list(session.scalars(stmt))


def opinion_out(o: ExpertOpinion) -> dict[str, Any]:
    """A submitted opinion as published: who, what, and its signature (content hash, audit chain entry)."""
    return {"id": o.id, "role": o.role, "role_label": locale.pick(er.ROLE_ZH[er.InvitedRole(o.role)], o.role),
            "name": o.name, "affiliation": o.affiliation, "body": o.body, "submitted_at": o.submitted_at,
            "sha256": o.content_hash, "audit_seq": o.audit_seq, "audit_hash": o.audit_hash}  # fmt: skip


def public_opinions(session: Session, c: Consultation) -> list[dict[str, Any]]:
    return [opinion_out(o) for o in _opinions(session, c) if o.submitted_at is not None]


def staff_opinions(session: Session, c: Consultation) -> list[dict[str, Any]]:
    """Every invitation for the organisers; a pending one carries a fresh invitation link token."""
    return [{**opinion_out(o), "invitation": invitation_token(o) if o.submitted_at is None else None}
            for o in _opinions(session, c)]  # fmt: skip


def hearing(session: Session, c: Consultation) -> dict[str, Any] | None:
    """The announced hearing with its places taken (no registrant is named), or None."""
    if c.hearing_at is None:
        return None
    counts = dict(
        session.execute(
            select(HearingRegistration.state, func.count())
            .where(HearingRegistration.consultation_id == c.id)
            .group_by(HearingRegistration.state)
        ).all()
    )
    taken = counts.get(er.Registration.registered, 0) + counts.get(er.Registration.confirmed, 0)
    return {"at": c.hearing_at, "place": c.hearing_place, "capacity": c.hearing_capacity, "taken": taken,
            "confirmed": counts.get(er.Registration.confirmed, 0),
            "waitlisted": counts.get(er.Registration.waitlisted, 0)}  # fmt: skip


def registration_out(reg: HearingRegistration) -> dict[str, Any]:
    label = locale.pick(er.REGISTRATION_ZH[er.Registration(reg.state)], reg.state)
    return {"id": reg.id, "state": reg.state, "state_label": label}


def staff_registrations(session: Session, c: Consultation) -> list[dict[str, Any]]:
    """The registrations for the organisers, contacts included, in the order they came."""
    stmt = select(HearingRegistration).where(HearingRegistration.consultation_id == c.id)
    return [{**registration_out(r), "name": r.name, "phone": r.phone, "position": r.position,
             "position_label": locale.pick(er.POSITION_ZH[er.Position(r.position)], r.position), "note": r.note,
             "created_at": r.created_at} for r in session.scalars(stmt.order_by(HearingRegistration.id))]  # fmt: skip
