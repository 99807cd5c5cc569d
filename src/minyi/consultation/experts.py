"""Invited opinions and hearings: the organiser invites experts and deputies and announces a hearing; the invited
submit their signed opinions; the public registers for the hearing; the organiser confirms places.

Each write is one unit of work with its entry on the global audit chain. An opinion's signature is the entry its
submission appended (seq and hash, kept on the row) and the SHA-256 of the published document.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar
from urllib.parse import quote

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.accounts.roles import Role
from minyi.audit.log import append_entry
from minyi.consultation import expert_rules as er
from minyi.consultation.invitations import InvitationSent, publish
from minyi.consultation.models import Consultation, ExpertOpinion, HearingRegistration
from minyi.consultation.participants import verification_ref
from minyi.db import utcnow
from minyi.errors import Conflict, NotFound
from minyi.nlp.pii import redact
from minyi.settings import get_settings
from minyi.uow import case_action, current_tx, write
from minyi.web.signing import sign, unsign

INVITATION_MAX_AGE_S = 120 * 24 * 3600
T = TypeVar("T")


def _record(session: Session, action: str, c: Consultation, data: dict[str, object]) -> None:
    tx = current_tx(session)
    assert tx is not None, "called outside its unit of work"
    tx.record(f"consultation_{action}", "consultation", c.id, data)


def invitation_token(opinion: ExpertOpinion) -> str:
    """The link token the organiser hands to the invited person (any number may be issued; each is signed)."""
    return sign("expert-opinion", {"c": opinion.consultation_id, "id": opinion.id}, INVITATION_MAX_AGE_S)


def invitation_link(opinion: ExpertOpinion) -> str:
    """The full link of the invited person's form, with a fresh token."""
    token = quote(invitation_token(opinion), safe="")
    return f"{get_settings().public_url}/consultations/{opinion.consultation_id}/expert-opinion?invitation={token}"


def _signed_row(
    session: Session, c: Consultation, token: str | None, purpose: str, model: type[T]
) -> T | None:
    """The row a signed token names for this consultation, or None (forged, expired or another's)."""
    value = unsign(purpose, token)
    row = None
    if isinstance(value, dict) and value.get("c") == c.id and isinstance(value.get("id"), int):
        row = session.get(model, value["id"])
    return row if row is not None and getattr(row, "consultation_id", None) == c.id else None


def access_invitation(session: Session, c: Consultation, token: str | None) -> ExpertOpinion:
    """The invitation a token names for this consultation, or 404 (forged, expired or another's look alike)."""
    opinion = _signed_row(session, c, token, "expert-opinion", ExpertOpinion)
    if opinion is None:
        raise NotFound("邀请", "invitation")
    return opinion


@case_action
def do_invite(
    session: Session, c: Consultation, actor: Actor, *, role: str, name: str, affiliation: str,
    email: str | None = None, phone: str | None = None,
) -> ExpertOpinion:  # fmt: skip
    """Invite an expert or deputy by name (the name is published with the opinion); given an address, the
    invitation goes to them with the link (the address is not kept: only the message carries it)."""
    er.check_inviting(c.state)
    opinion = ExpertOpinion(consultation_id=c.id, role=er.InvitedRole(role), name=name.strip(),
                            affiliation=affiliation.strip(), invited_at=utcnow())  # fmt: skip
    session.add(opinion)
    session.flush()
    _record(session, "invite", c, {"opinion": opinion.id, "role": opinion.role, "name": opinion.name,
                                   "sent": bool(email or phone)})  # fmt: skip
    if email or phone:
        publish(session, InvitationSent(c.id, opinion.id, c.title, opinion.role, opinion.name, email, phone,
                                        invitation_link(opinion)))  # fmt: skip
    return opinion


def do_submit_opinion(
    session: Session, c: Consultation, opinion: ExpertOpinion, *, body: str
) -> ExpertOpinion:
    """The invited person's opinion, masked of others' personal data, hashed and signed by its chain entry."""
    er.check_inviting(c.state)
    text = redact(er.check_opinion(body, opinion.submitted_at is not None))
    signer = Actor(Role.citizen, f"{opinion.role}:{opinion.name}"[:100])
    with write(session, signer):
        session.refresh(opinion, with_for_update=True)
        er.check_opinion(text, opinion.submitted_at is not None)  # a parallel submission got there first
        digest = er.content_hash(c.id, opinion.role, opinion.name, opinion.affiliation, text)
        entry = append_entry(session, signer, "consultation_expert_opinion", "consultation", c.id,
                             {"opinion": opinion.id, "name": opinion.name, "sha256": digest})  # fmt: skip
        opinion.body, opinion.submitted_at, opinion.content_hash = text, entry.at, digest
        opinion.audit_seq, opinion.audit_hash = entry.seq, entry.hash
    return opinion


@case_action
def do_set_hearing(
    session: Session, c: Consultation, actor: Actor, *, at: datetime, place: str, capacity: int
) -> Consultation:
    """Announce (or move) the hearing: when, where, how many places."""
    er.check_inviting(c.state)
    er.check_hearing(at, capacity, utcnow())
    confirmed = _count(session, c, er.Registration.confirmed)
    if capacity < confirmed:
        raise Conflict(f"已确认 {confirmed} 人，名额不能少于此数", f"{confirmed} places are already confirmed",
                       field="capacity", code="hearing_full")  # fmt: skip
    c.hearing_at, c.hearing_place, c.hearing_capacity = at, place.strip(), capacity
    _record(session, "hearing", c, {"at": at.isoformat(), "place": c.hearing_place, "capacity": capacity})
    return c


def _count(session: Session, c: Consultation, *states: str) -> int:
    stmt = (
        select(func.count())
        .select_from(HearingRegistration)
        .where(HearingRegistration.consultation_id == c.id, HearingRegistration.state.in_(states))
    )
    return int(session.scalar(stmt) or 0)


def do_register(
    session: Session, c: Consultation, *, name: str, phone: str, position: str, note: str
) -> HearingRegistration:
    """Register for the hearing: a place while places remain, else the waiting list; one registration per phone."""
    er.check_registration_open(c.state, c.hearing_at, utcnow())
    number = er.check_phone(phone)
    ref = verification_ref("hearing-phone", f"{c.id}:{number}")
    try:
        with write(session, Actor(Role.citizen, "hearing registrant")):
            session.refresh(c, with_for_update=True)  # places are counted under the consultation's lock
            taken = _count(session, c, er.Registration.registered, er.Registration.confirmed)
            reg = HearingRegistration(consultation_id=c.id, name=name.strip(), phone=number, contact_ref=ref,
                                      position=er.Position(position), note=note.strip(),
                                      state=er.registration_state(taken, c.hearing_capacity or 0))  # fmt: skip
            session.add(reg)
            session.flush()
            _record(session, "hearing_registration", c, {"registration": reg.id, "state": reg.state})
    except IntegrityError:
        raise Conflict("此电话号码已报名", "this phone number is already registered", field="phone",
                       code="already_registered") from None  # fmt: skip
    return reg


@case_action
def do_confirm_registration(
    session: Session, c: Consultation, actor: Actor, *, registration_id: int
) -> HearingRegistration:
    """Confirm a registrant's place (waitlisted ones too, while confirmed places remain)."""
    reg = session.get(HearingRegistration, registration_id)
    if reg is None or reg.consultation_id != c.id:
        raise NotFound("报名", "registration")
    er.check_confirm(reg.state, _count(session, c, er.Registration.confirmed), c.hearing_capacity or 0)
    before, reg.state = reg.state, er.Registration.confirmed
    _record(session, "hearing_confirm", c, {"registration": reg.id, "from": before})
    return reg


def receipt_token(reg: HearingRegistration) -> str:
    """What a registrant keeps to look up their registration's state."""
    return sign("hearing-receipt", {"c": reg.consultation_id, "id": reg.id}, INVITATION_MAX_AGE_S)


def access_receipt(session: Session, c: Consultation, token: str | None) -> HearingRegistration:
    """The registration a receipt names, or 404."""
    reg = _signed_row(session, c, token, "hearing-receipt", HearingRegistration)
    if reg is None:
        raise NotFound("报名", "registration")
    return reg
