"""Access-checked reads of the consultation slice: a missing consultation and a hidden draft look the same."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minyi.access import may_manage_consultation, may_see_consultation
from minyi.accounts.actor import Actor
from minyi.accounts.models import User
from minyi.cases.models import Case
from minyi.cases.queries import visible_filter
from minyi.cases.tracking import code_in
from minyi.consultation.models import (
    Clause,
    Comment,
    CommentGroup,
    Consultation,
    LinkedCase,
    Participant,
    Statement,
    Vote,
)
from minyi.consultation.participants import BadParticipant, pseudonym_from
from minyi.consultation.rules import Moderation, pick_next_statement
from minyi.departments.models import Department
from minyi.errors import InvalidInput, NotFound
from minyi.fields import is_id


def missing_consultation() -> NotFound:
    """The one answer for a consultation that is missing or not for this reader."""
    return NotFound("征求意见", "consultation")


def access_consultation(
    session: Session, actor: Actor, consultation_id: int, *, for_update: bool = False, manage: bool = False
) -> Consultation:
    """The consultation if this actor may see it (or manage it, with `manage`); else 404."""
    if not is_id(consultation_id):
        raise missing_consultation()
    stmt = select(Consultation).where(Consultation.id == consultation_id)
    if for_update:
        stmt = stmt.with_for_update()
    c = session.scalars(stmt).first()
    if c is None or not may_see_consultation(actor, c.state, c.department_id):
        raise missing_consultation()
    if manage and not may_manage_consultation(actor, c.department_id):
        raise missing_consultation()
    return c


def access_participant(session: Session, consultation: Consultation, token: str | None) -> Participant:
    """The participant behind a signed id for this consultation, or 403 (forged, expired, another one's)."""
    pseudonym = pseudonym_from(token, consultation.id)
    p = session.scalars(select(Participant).where(Participant.pseudonym == pseudonym)).first()
    if p is None or p.consultation_id != consultation.id:
        raise BadParticipant()
    return p


def code_holder(session: Session, raw_code: str) -> tuple[str, str | None] | None:
    """(tracking code, its case's region) for a typed code, or None; one indexed read either way.

    A known and an unknown code cost the same single query (a malformed one, refused by its check character,
    costs none: that says nothing about whether any code exists).
    """
    code = code_in(raw_code)
    if code is None:
        return None
    row = session.execute(
        select(Case.tracking_code, Case.region_code).where(Case.tracking_code == code)
    ).first()
    return (str(row[0]), row[1]) if row else None


def account_holder(session: Session, user_id: int) -> tuple[str, str | None] | None:
    """(account id, the region of its department) for an active account, or None."""
    row = session.execute(
        select(User.id, Department.region_code)
        .outerjoin(Department, Department.id == User.department_id)
        .where(User.id == user_id, User.active.is_(True))
    ).first()
    return (str(row[0]), row[1]) if row else None


def linked_case_ids(session: Session, actor: Actor, codes: list[str]) -> list[int]:
    """The ids of the cases these tracking codes name, all of which the actor may read; else one refusal."""
    wanted = {code_in(raw) for raw in codes}
    if not wanted:
        return []
    found = list(
        session.scalars(
            select(Case.id).where(Case.tracking_code.in_([w for w in wanted if w]), *visible_filter(actor))
        )
    )
    if None in wanted or len(found) != len(wanted):
        raise InvalidInput("关联诉求不存在或无权查看", "a linked case is unknown or not yours to read",
                           field="linked_cases")  # fmt: skip
    return sorted(found)


def get_linked_cases(session: Session, consultation_id: int) -> list[Case]:
    """The cases a consultation answers to, oldest first."""
    stmt = select(Case).join(LinkedCase, LinkedCase.case_id == Case.id)
    return list(session.scalars(stmt.where(LinkedCase.consultation_id == consultation_id).order_by(Case.id)))


def get_clauses(session: Session, consultation_id: int) -> list[Clause]:
    return list(
        session.scalars(
            select(Clause).where(Clause.consultation_id == consultation_id).order_by(Clause.number)
        )
    )


def get_public_comments(session: Session, consultation_id: int) -> list[Comment]:
    """Published comments, oldest first (the redacted text is what the public sees)."""
    stmt = select(Comment).where(
        Comment.consultation_id == consultation_id, Comment.moderation == Moderation.published
    )
    return list(session.scalars(stmt.order_by(Comment.id)))


def get_comments(session: Session, consultation_id: int, moderation: str | None = None) -> list[Comment]:
    """Every comment of a consultation for its organisers, optionally one moderation state (the queue: held)."""
    stmt = select(Comment).where(Comment.consultation_id == consultation_id)
    if moderation:
        stmt = stmt.where(Comment.moderation == moderation)
    return list(session.scalars(stmt.order_by(Comment.id)))


def get_groups(session: Session, consultation_id: int) -> list[CommentGroup]:
    stmt = select(CommentGroup).where(CommentGroup.consultation_id == consultation_id)
    return list(session.scalars(stmt.order_by(CommentGroup.id)))


def get_own_comments(session: Session, participant: Participant) -> list[tuple[Comment, CommentGroup | None]]:
    """A participant's own comments with the answer of the group each one is in."""
    stmt = (
        select(Comment, CommentGroup)
        .outerjoin(CommentGroup, Comment.group_id == CommentGroup.id)
        .where(Comment.participant_id == participant.id)
        .order_by(Comment.id)
    )
    return [(c, g) for c, g in session.execute(stmt).all()]


def get_statements(
    session: Session, consultation_id: int, *, include_hidden: bool = False
) -> list[Statement]:
    stmt = select(Statement).where(Statement.consultation_id == consultation_id)
    if not include_hidden:
        stmt = stmt.where(Statement.hidden.is_(False))
    return list(session.scalars(stmt.order_by(Statement.id)))


def next_statement(
    session: Session, consultation_id: int, participant: Participant | None
) -> Statement | None:
    """The next visible statement this participant has not voted on, in the balanced order."""
    stmt = select(Statement.id, Statement.seen).where(
        Statement.consultation_id == consultation_id, Statement.hidden.is_(False)
    )
    if participant is not None:
        voted = select(Vote.statement_id).where(Vote.participant_id == participant.id)
        stmt = stmt.where(Statement.id.not_in(voted))
    candidates = [(int(i), int(s)) for i, s in session.execute(stmt).all()]
    chosen = pick_next_statement(candidates, participant.id if participant else 0)
    return session.get(Statement, chosen) if chosen is not None else None


def count_votes(session: Session, consultation_id: int) -> int:
    return int(
        session.scalar(select(func.count()).select_from(Vote).where(Vote.consultation_id == consultation_id))
        or 0
    )
