"""Public pages of a consultation: the draft with its comments, one statement at a time, the map, the report.

Plain forms (no JavaScript needed); the opinion map is drawn with ECharts when scripts run, and the same facts
stand in a table. A first write from a browser joins the consultation and keeps the signed id in a cookie.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from starlette.datastructures import FormData

from minyi.accounts.actions import get_user_by_token
from minyi.accounts.actor import CITIZEN
from minyi.consultation import participation as part
from minyi.consultation import present, present_experts
from minyi.consultation.expert_pages import router as expert_pages_router
from minyi.consultation.models import Consultation, Participant
from minyi.consultation.participants import (
    MAX_AGE_S,
    PARTICIPANT_COOKIE,
    BadParticipant,
    code_gate,
    participant_token,
)
from minyi.consultation.queries import access_consultation, access_participant, get_clauses, next_statement
from minyi.consultation.rules import STATE_ZH, State
from minyi.deps import SessionDep
from minyi.fields import form_int
from minyi.locale import pick
from minyi.web.rendering import PageRoute, redirect, render
from minyi.web.signing import SESSION_COOKIE, check_csrf

router = APIRouter(route_class=PageRoute, include_in_schema=False)
Form = Annotated[FormData, Depends(check_csrf)]


def _known(request: Request, session: SessionDep, c: Consultation) -> Participant | None:
    try:
        return access_participant(session, c, request.cookies.get(PARTICIPANT_COOKIE))
    except BadParticipant:
        return None


def _signed_in(request: Request, session: SessionDep) -> int | None:
    """The account of a signed-in visitor (the page session), which verifies them where the organiser asks."""
    token = request.cookies.get(SESSION_COOKIE)
    user = get_user_by_token(session, token) if token else None
    return user.id if user is not None else None


def _participant(
    request: Request, session: SessionDep, c: Consultation, form: FormData
) -> tuple[Participant, str | None]:
    """The browser's participant, joining now (with the tracking code from the form, if any) when it has none."""
    p = _known(request, session, c)
    if p is not None:
        return p, None
    code = str(form.get("tracking_code") or "").strip() or None
    account = _signed_in(request, session) if not code and c.requirement in ("account", "resident") else None
    p = part.do_join(session, c, tracking_code=code, account_id=account, gate=code_gate(request))
    return p, participant_token(c.id, p.pseudonym)


def _done(request: Request, c: Consultation, token: str | None, anchor: str) -> Response:
    response = redirect(f"/consultations/{c.id}#{anchor}")
    if token:
        secure = request.url.scheme == "https"
        response.set_cookie(PARTICIPANT_COOKIE, token, max_age=MAX_AGE_S, httponly=True, samesite="lax",
                            secure=secure, path="/")  # fmt: skip
    return response


@router.get("/consultations")
def consultations(request: Request, session: SessionDep) -> Response:
    """Consultations open now and before."""
    return render(
        request, "consultation/list.html", {"items": present.public_list(session), "state_label": _state}
    )


def _state(state: str) -> str:
    return pick(STATE_ZH[State(state)], state)


@router.get("/consultations/{consultation_id}")
def consultation(request: Request, consultation_id: int, session: SessionDep) -> Response:
    """The draft clause by clause with its published comments, the next statement to vote on and the map."""
    c = access_consultation(session, CITIZEN, consultation_id)
    me = _known(request, session, c)
    comments = present.public_comments(session, c)
    by_clause: dict[int | None, list[dict[str, Any]]] = {}
    for cm in comments:
        by_clause.setdefault(cm["clause_id"], []).append(cm)
    opinion_map = present.opinion_map(session, c)
    context = {
        "c": c, "state_label": _state(c.state), "clauses": get_clauses(session, c.id), "by_clause": by_clause,
        "statement": next_statement(session, c.id, me) if c.state == State.open else None,
        "map": opinion_map, "map_points": {"points": opinion_map["points"]},
        "mine": present.own_comments(session, me) if me else [], "joined": me is not None,
        "opinions": present_experts.public_opinions(session, c), "hearing": present_experts.hearing(session, c),
        "linked": present.linked_cases(session, c),
    }  # fmt: skip
    return render(request, "consultation/page.html", context)


@router.post("/consultations/{consultation_id}/comment")
def comment(request: Request, consultation_id: int, session: SessionDep, form: Form) -> Response:
    c = access_consultation(session, CITIZEN, consultation_id)
    clause = str(form.get("clause_id") or "").strip()
    clause_id = form_int(clause, "clause_id", low=1) if clause else None
    p, token = _participant(request, session, c, form)
    part.do_comment(session, c, p, clause_id=clause_id, body=str(form.get("body") or ""))
    return _done(request, c, token, "mine")


@router.post("/consultations/{consultation_id}/vote")
def vote(request: Request, consultation_id: int, session: SessionDep, form: Form) -> Response:
    c = access_consultation(session, CITIZEN, consultation_id)
    sid = form_int(str(form.get("statement_id") or ""), "statement_id", low=1)
    value = form_int(str(form.get("vote") or ""), "vote", low=-1, high=1)
    p, token = _participant(request, session, c, form)
    part.do_vote(session, c, p, statement_id=sid, value=value)
    return _done(request, c, token, "vote")


@router.post("/consultations/{consultation_id}/statement")
def statement(request: Request, consultation_id: int, session: SessionDep, form: Form) -> Response:
    c = access_consultation(session, CITIZEN, consultation_id)
    p, token = _participant(request, session, c, form)
    part.do_write_statement(session, c, p, text=str(form.get("text") or ""))
    return _done(request, c, token, "vote")


@router.get("/consultations/{consultation_id}/report")
def report(request: Request, consultation_id: int, session: SessionDep) -> Response:
    """The feedback report: clause by clause draft → final, and every comment group with its answer."""
    c = access_consultation(session, CITIZEN, consultation_id)
    return render(request, "consultation/report.html", {"c": c, "report": present.report(session, c)})


router.include_router(expert_pages_router)  # invited opinions and the hearing
