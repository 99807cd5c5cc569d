"""JSON API of invited opinions and the hearing: public reads, the invited person's submission, registration."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Request

from minyi.accounts.actor import CITIZEN
from minyi.consultation import experts
from minyi.consultation import present_experts as pe
from minyi.consultation.participants import code_gate
from minyi.consultation.queries import access_consultation
from minyi.consultation.rules import RateLimited
from minyi.consultation.schemas import OpinionIn, RegistrationIn
from minyi.deps import SessionDep, StaffDep

router = APIRouter(tags=["consultations"])
Invitation = Annotated[str | None, Header(alias="X-Invitation", max_length=500)]
Receipt = Annotated[str | None, Header(alias="X-Receipt", max_length=500)]


@router.get("/consultations/{consultation_id}/expert-opinions")
def expert_opinions(consultation_id: int, session: SessionDep) -> list[dict[str, Any]]:
    """Invited experts' and deputies' opinions, with their names and signatures (content hash, chain entry)."""
    return pe.public_opinions(session, access_consultation(session, CITIZEN, consultation_id))


@router.post("/consultations/{consultation_id}/expert-opinions", status_code=201)
def submit_opinion(
    consultation_id: int, body: OpinionIn, session: SessionDep, x: Invitation = None
) -> dict[str, Any]:
    """The invited person submits their opinion once, with the invitation token in `X-Invitation`."""
    c = access_consultation(session, CITIZEN, consultation_id)
    opinion = experts.access_invitation(session, c, x)
    return pe.opinion_out(experts.do_submit_opinion(session, c, opinion, body=body.body))


@router.get("/consultations/{consultation_id}/hearing")
def hearing(consultation_id: int, session: SessionDep) -> dict[str, Any] | None:
    """The announced hearing: when, where, places and how many are taken (null when none)."""
    return pe.hearing(session, access_consultation(session, CITIZEN, consultation_id))


@router.post("/consultations/{consultation_id}/hearing/registrations", status_code=201)
def register(
    consultation_id: int, body: RegistrationIn, session: SessionDep, request: Request
) -> dict[str, Any]:
    """Register for the hearing; keep the receipt (`X-Receipt`) to see whether your place is confirmed."""
    c = access_consultation(session, CITIZEN, consultation_id)
    limiter, address = code_gate(request)
    wait = limiter.attempt(session, f"hearing:{address}")
    if wait:
        raise RateLimited(f"报名过于频繁，请 {wait} 秒后再试", f"too many registrations: wait {wait} s")
    reg = experts.do_register(session, c, name=body.name, phone=body.phone, position=body.position,
                              note=body.note)  # fmt: skip
    return {**pe.registration_out(reg), "receipt": experts.receipt_token(reg)}


@router.get("/consultations/{consultation_id}/hearing/registrations/mine")
def my_registration(consultation_id: int, session: SessionDep, x: Receipt = None) -> dict[str, Any]:
    """Your registration's state (registered, waitlisted, confirmed), by its receipt."""
    c = access_consultation(session, CITIZEN, consultation_id)
    return pe.registration_out(experts.access_receipt(session, c, x))


@router.get("/staff/consultations/{consultation_id}/expert-opinions")
def staff_expert_opinions(consultation_id: int, actor: StaffDep, session: SessionDep) -> list[dict[str, Any]]:
    """Every invitation, with a link token for those not yet answered."""
    return pe.staff_opinions(session, access_consultation(session, actor, consultation_id, manage=True))


@router.get("/staff/consultations/{consultation_id}/hearing/registrations")
def staff_registrations(consultation_id: int, actor: StaffDep, session: SessionDep) -> list[dict[str, Any]]:
    """The hearing's registrations with their contacts (organisers only)."""
    return pe.staff_registrations(session, access_consultation(session, actor, consultation_id, manage=True))
