"""Pages of invited opinions and the hearing: the invited person's form, and registering for the hearing.

Plain forms, no JavaScript. The invitation link carries a signed token; a registrant gets a receipt to look up
whether their place is confirmed.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from starlette.datastructures import FormData

from minyi.accounts.actor import CITIZEN
from minyi.consultation import experts
from minyi.consultation import present_experts as pe
from minyi.consultation.participants import code_gate
from minyi.consultation.queries import access_consultation
from minyi.consultation.rules import RateLimited
from minyi.deps import SessionDep
from minyi.web.rendering import PageRoute, render
from minyi.web.signing import check_csrf

router = APIRouter(route_class=PageRoute, include_in_schema=False)
Form = Annotated[FormData, Depends(check_csrf)]


@router.get("/consultations/{consultation_id}/expert-opinion")
def opinion_form(
    request: Request, consultation_id: int, session: SessionDep, invitation: str = ""
) -> Response:
    """The invited expert's or deputy's form (or their opinion as signed, once submitted)."""
    c = access_consultation(session, CITIZEN, consultation_id)
    o = experts.access_invitation(session, c, invitation[:500])
    ctx = {
        "c": c,
        "opinion": pe.opinion_out(o),
        "invitation": invitation,
        "submitted": o.submitted_at is not None,
    }
    return render(request, "consultation/expert_opinion.html", ctx)


@router.post("/consultations/{consultation_id}/expert-opinion")
def submit_opinion(request: Request, consultation_id: int, session: SessionDep, form: Form) -> Response:
    c = access_consultation(session, CITIZEN, consultation_id)
    token = str(form.get("invitation") or "")[:500]
    o = experts.do_submit_opinion(
        session, c, experts.access_invitation(session, c, token), body=str(form.get("body") or "")
    )
    ctx = {"c": c, "opinion": pe.opinion_out(o), "invitation": token, "submitted": True}
    return render(request, "consultation/expert_opinion.html", ctx, status=201)


@router.post("/consultations/{consultation_id}/hearing")
def register(request: Request, consultation_id: int, session: SessionDep, form: Form) -> Response:
    """Register for the hearing; the page shows the state and the receipt to keep."""
    c = access_consultation(session, CITIZEN, consultation_id)
    limiter, address = code_gate(request)
    wait = limiter.attempt(session, f"hearing:{address}")
    if wait:
        raise RateLimited(f"报名过于频繁，请 {wait} 秒后再试", f"too many registrations: wait {wait} s")
    reg = experts.do_register(session, c, name=str(form.get("name") or ""), phone=str(form.get("phone") or ""),
                              position=str(form.get("position") or "neutral"), note=str(form.get("note") or ""))  # fmt: skip
    ctx = {"c": c, "registration": pe.registration_out(reg), "receipt": experts.receipt_token(reg)}
    return render(request, "consultation/hearing_receipt.html", ctx, status=201)
