"""JSON API of the consultation slice: taking part (public) and running a consultation (organisers). Thin."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Cookie, Header, Query, Request, Response, status
from pydantic import BaseModel

from minyi.access import may_manage_consultation
from minyi.accounts.actor import CITIZEN
from minyi.consultation import participation as part
from minyi.consultation import present
from minyi.consultation.actions import check_create, do_create_consultation
from minyi.consultation.commands import COMMANDS, ConsultationCommand, execute
from minyi.consultation.docx_draft import docx_to_draft
from minyi.consultation.drafts import parse_draft
from minyi.consultation.expert_api import router as experts_router
from minyi.consultation.participants import MAX_AGE_S, PARTICIPANT_COOKIE, code_gate, participant_token
from minyi.consultation.queries import access_consultation, access_participant, next_statement
from minyi.consultation.schemas import (
    CommentIn,
    ConsultationIn,
    ConsultationOut,
    JoinIn,
    JoinOut,
    ReactionIn,
    StatementIn,
    StatementOut,
    VoteIn,
    VoteOut,
)
from minyi.consultation.voting import do_cast_vote
from minyi.deps import SessionDep, StaffDep, get_staff, request_session
from minyi.errors import NotFound
from minyi.uow import end_read

router = APIRouter(tags=["consultations"])
Token = Annotated[str | None, Header(alias="X-Participant", max_length=500)]
TokenCookie = Annotated[str | None, Cookie(alias=PARTICIPANT_COOKIE, max_length=500)]


def _participant(session: SessionDep, consultation_id: int, header: str | None, cookie: str | None) -> Any:
    c = access_consultation(session, CITIZEN, consultation_id)
    return c, access_participant(session, c, header or cookie)


@router.get("/consultations", response_model=list[dict[str, Any]])
def list_consultations(session: SessionDep) -> list[dict[str, Any]]:
    """Consultations that have been opened, newest first."""
    return present.public_list(session)


@router.get("/consultations/{consultation_id}", response_model=ConsultationOut)
def get_consultation(consultation_id: int, session: SessionDep) -> ConsultationOut:
    """The draft, clause by clause, with its dates and state."""
    return present.consultation_out(session, access_consultation(session, CITIZEN, consultation_id))


@router.get("/consultations/{consultation_id}/linked-cases")
def linked_cases(consultation_id: int, session: SessionDep) -> dict[str, Any]:
    """The cases (and hot issue or alert) the consultation answers to, redacted; non-public ones only counted."""
    return present.linked_cases(session, access_consultation(session, CITIZEN, consultation_id))


@router.get("/consultations/{consultation_id}/comments", response_model=list[dict[str, Any]])
def list_comments(consultation_id: int, session: SessionDep) -> list[dict[str, Any]]:
    """Published comments (redacted), oldest first."""
    return present.public_comments(session, access_consultation(session, CITIZEN, consultation_id))


@router.post("/consultations/{consultation_id}/participants", response_model=JoinOut, status_code=201)
def join(
    consultation_id: int, body: JoinIn, session: SessionDep, request: Request, response: Response,
    authorization: Annotated[str | None, Header(max_length=500)] = None,
) -> JoinOut:  # fmt: skip
    """Take part: a signed pseudonymous id (also set as a cookie); a tracking code or account verifies you.

    A verified person finds their participant again. Tracking codes are limited per address, and an unknown
    code is answered like one outside the consultation's scope.
    """
    c = access_consultation(session, CITIZEN, consultation_id)
    account = get_staff(session, authorization).user_id if body.with_account else None
    p = part.do_join(
        session, c, tracking_code=body.tracking_code, account_id=account, gate=code_gate(request)
    )
    token = participant_token(c.id, p.pseudonym)
    response.set_cookie(PARTICIPANT_COOKIE, token, max_age=MAX_AGE_S, httponly=True, samesite="lax")
    return JoinOut(participant=token, verified=p.verified_by is not None)


@router.post("/consultations/{consultation_id}/comments", status_code=201)
def comment(
    consultation_id: int, body: CommentIn, session: SessionDep, x: Token = None, ck: TokenCookie = None
) -> dict[str, Any]:
    """Comment on a clause (or the whole draft); flagged comments wait for a moderator."""
    c, p = _participant(session, consultation_id, x, ck)
    cm = part.do_comment(session, c, p, clause_id=body.clause_id, body=body.body)
    return present.comment_out(cm, own=True)


@router.post("/consultations/{consultation_id}/comments/{comment_id}/reactions")
def react(
    consultation_id: int,
    comment_id: int,
    body: ReactionIn,
    session: SessionDep,
    x: Token = None,
    ck: TokenCookie = None,
) -> dict[str, Any]:
    """Support (1) or oppose (-1) a comment; the last one counts."""
    c, p = _participant(session, consultation_id, x, ck)
    cm = part.do_react(session, c, p, comment_id=comment_id, value=body.value)
    session.refresh(cm)
    end_read(session)
    return present.comment_out(cm)


@router.post("/consultations/{consultation_id}/statements", response_model=StatementOut, status_code=201)
def write_statement(
    consultation_id: int, body: StatementIn, session: SessionDep, x: Token = None, ck: TokenCookie = None
) -> StatementOut:
    """A short statement (≤140 characters) for everyone to vote on."""
    c, p = _participant(session, consultation_id, x, ck)
    s = part.do_write_statement(session, c, p, text=body.text)
    return StatementOut(id=s.id, text=s.text)


@router.get("/consultations/{consultation_id}/statements/next", response_model=StatementOut | None)
def get_next_statement(
    consultation_id: int, session: SessionDep, x: Token = None, ck: TokenCookie = None
) -> StatementOut | None:
    """The next statement to vote on (null when none is left), in an order that balances how often each is seen."""
    c, p = _participant(session, consultation_id, x, ck)
    s = next_statement(session, c.id, p)
    return StatementOut(id=s.id, text=s.text) if s else None


@router.post(
    "/consultations/{consultation_id}/votes", response_model=None, responses={200: {"model": VoteOut}}
)
def vote(
    request: Request, consultation_id: int, body: VoteIn, x: Token = None, ck: TokenCookie = None
) -> Response:
    """Agree (1), disagree (-1) or pass (0); voting again on a statement replaces the earlier vote."""
    with request_session(request) as session:  # the hot path: no generator dependency, no response model
        stored = do_cast_vote(
            session, consultation_id, x or ck, statement_id=body.statement_id, value=body.vote
        )
    return Response(f'{{"statement_id":{body.statement_id},"vote":{stored}}}', media_type="application/json")


@router.get("/consultations/{consultation_id}/my-comments")
def my_comments(
    consultation_id: int, session: SessionDep, x: Token = None, ck: TokenCookie = None
) -> list[dict[str, Any]]:
    """Your own comments and how each was answered."""
    _, p = _participant(session, consultation_id, x, ck)
    return present.own_comments(session, p)


@router.get("/consultations/{consultation_id}/opinion-map")
def opinion_map(consultation_id: int, session: SessionDep) -> dict[str, Any]:
    """The opinion groups last computed (groups, representative, consensus and divisive statements, points)."""
    return present.opinion_map(session, access_consultation(session, CITIZEN, consultation_id))


@router.get("/consultations/{consultation_id}/report")
def report(consultation_id: int, session: SessionDep) -> dict[str, Any]:
    """The feedback report once published: clause by clause draft → final, every comment group with its answer."""
    return present.report(session, access_consultation(session, CITIZEN, consultation_id))


# ---- organisers ----------------------------------------------------------------------------------


@router.post("/staff/consultations", response_model=ConsultationOut, status_code=status.HTTP_201_CREATED)
def create_consultation(body: ConsultationIn, actor: StaffDep, session: SessionDep) -> ConsultationOut:
    """A new consultation in draft, its clauses split from plain text or Markdown numbered headings."""
    warnings = check_create(actor, body)
    c = do_create_consultation(session, actor, body)
    return present.consultation_out(session, c, warnings=warnings)


@router.post("/staff/consultations/draft-from-docx")
async def draft_from_docx(request: Request, actor: StaffDep) -> dict[str, Any]:
    """The draft text of a Word file sent as the raw body (.docx): headings and numbered paragraphs become clauses.

    Nothing is written: send the text back as `draft` of a new consultation (after any edits).
    """
    if not may_manage_consultation(actor, actor.department_id):
        raise NotFound("征求意见", "consultation")
    draft = docx_to_draft(await request.body())
    return {
        "draft": draft,
        "clauses": [{"number": x.number, "heading": x.heading} for x in parse_draft(draft)],
    }


@router.get("/staff/consultations/{consultation_id}/comments")
def staff_comments(
    consultation_id: int, actor: StaffDep, session: SessionDep,
    moderation: Annotated[str | None, Query(pattern="^(held|published|hidden)$")] = None,
) -> list[dict[str, Any]]:  # fmt: skip
    """Every comment for the organisers (the moderation queue: ?moderation=held), with its flags."""
    c = access_consultation(session, actor, consultation_id, manage=True)
    return present.staff_comments(session, c, moderation)


@router.get("/staff/consultations/{consultation_id}/proposed-groups")
def proposed_groups(consultation_id: int, actor: StaffDep, session: SessionDep) -> list[list[int]]:
    """Comment groups proposed by text similarity, for the organisers to adjust and submit to …/groups."""
    c = access_consultation(session, actor, consultation_id, manage=True)
    return present.proposed_groups(session, c)


def _staff_route(command: ConsultationCommand) -> None:
    def endpoint(
        consultation_id: int, body: BaseModel, actor: StaffDep, session: SessionDep
    ) -> ConsultationOut:
        result = execute(session, actor, consultation_id, command, body)
        warnings = result if command.name == "open" and isinstance(result, list) else []
        c = access_consultation(session, actor, consultation_id)
        return present.consultation_out(session, c, warnings=warnings)

    endpoint.__annotations__["body"] = command.schema
    router.add_api_route(
        f"/staff/consultations/{{consultation_id}}/{command.path}", endpoint, methods=["POST"],
        response_model=ConsultationOut, summary=command.summary, name=f"consultation_{command.name}",
        operation_id=f"consultation_{command.name}",
    )  # fmt: skip


for _command in COMMANDS.values():
    _staff_route(_command)

router.include_router(experts_router)  # invited opinions and the hearing
