"""What each audience sees of a consultation: the public gets redacted comments and no participant ids."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi import locale
from minyi.consultation.grouping import propose_groups
from minyi.consultation.models import Comment, Consultation, OpinionMap, Participant
from minyi.consultation.queries import (
    get_clauses,
    get_comments,
    get_groups,
    get_linked_cases,
    get_own_comments,
    get_public_comments,
)
from minyi.consultation.rules import ANSWER_ZH, Answer, Moderation, State
from minyi.consultation.schemas import ClauseOut, ConsultationOut
from minyi.errors import NotFound


def consultation_out(
    session: Session, c: Consultation, warnings: list[tuple[str, str]] | None = None
) -> ConsultationOut:
    return ConsultationOut(
        id=c.id, title=c.title, background=c.background, kind=c.kind, state=c.state, department_id=c.department_id,
        committee=c.committee, region_code=c.region_code, opens_at=c.opens_at, closes_at=c.closes_at,
        requirement=c.requirement,
        clauses=[ClauseOut(id=x.id, number=x.number, heading=x.heading, draft_text=x.draft_text,
                           final_text=x.final_text if c.state == State.answered else None)
                 for x in get_clauses(session, c.id)],
        warnings=[locale.pick(zh, en) for zh, en in warnings or []],
    )  # fmt: skip


def public_list(session: Session) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(Consultation)
        .where(Consultation.state != State.draft)
        .order_by(Consultation.id.desc())
        .limit(100)
    )
    return [{"id": c.id, "title": c.title, "kind": c.kind, "state": c.state, "opens_at": c.opens_at,
             "closes_at": c.closes_at} for c in rows]  # fmt: skip


def comment_out(cm: Comment, *, own: bool = False) -> dict[str, Any]:
    """A comment as the public sees it: the redacted text only (its author sees its moderation state too)."""
    out: dict[str, Any] = {"id": cm.id, "clause_id": cm.clause_id, "body": cm.public_body, "support": cm.support,
                           "oppose": cm.oppose, "created_at": cm.created_at}  # fmt: skip
    if own:
        out["moderation"] = cm.moderation
    return out


def public_comments(session: Session, c: Consultation) -> list[dict[str, Any]]:
    return [comment_out(cm) for cm in get_public_comments(session, c.id)]


def staff_comments(session: Session, c: Consultation, moderation: str | None) -> list[dict[str, Any]]:
    """For organisers: the text as written (they moderate it), flags, state and group."""
    return [{**comment_out(cm, own=True), "original": cm.body, "flags": cm.flags, "group_id": cm.group_id,
             "moderation_reason": cm.moderation_reason} for cm in get_comments(session, c.id, moderation)]  # fmt: skip


def _answer_label(answer: str | None) -> str | None:
    return locale.pick(ANSWER_ZH[Answer(answer)], answer.replace("_", " ")) if answer else None


def own_comments(session: Session, p: Participant) -> list[dict[str, Any]]:
    """A participant's comments and the answers to them (answers are shown once the report is published)."""
    c = session.get(Consultation, p.consultation_id)
    published = c is not None and c.state == State.answered
    return [{**comment_out(cm, own=True),
             "group": g.title if g and published else None,
             "answer": g.answer if g and published else None,
             "answer_label": _answer_label(g.answer) if g and published else None,
             "reason": g.reason if g and published else None} for cm, g in get_own_comments(session, p)]  # fmt: skip


def opinion_map(session: Session, c: Consultation) -> dict[str, Any]:
    row = session.get(OpinionMap, c.id)
    if row is None:
        return {"computed_at": None, "groups": [], "consensus": [], "divisive": [], "points": [], "votes": 0,
                "participants": 0}  # fmt: skip
    return {"computed_at": row.computed_at, **row.data}


def report(session: Session, c: Consultation) -> dict[str, Any]:
    """The feedback report (意见采纳情况反馈): 404 until the organiser publishes it."""
    if c.state != State.answered:
        raise NotFound("反馈报告", "feedback report")
    comments = get_public_comments(session, c.id)
    return {
        "consultation_id": c.id, "title": c.title, "answered_at": c.answered_at,
        "clauses": [{"number": x.number, "heading": x.heading, "draft": x.draft_text, "final": x.final_text}
                    for x in get_clauses(session, c.id)],
        "groups": [{"id": g.id, "title": g.title, "answer": g.answer, "answer_label": _answer_label(g.answer),
                    "reason": g.reason, "comments": [comment_out(cm) for cm in comments if cm.group_id == g.id]}
                   for g in get_groups(session, c.id)],
    }  # fmt: skip


def proposed_groups(session: Session, c: Consultation) -> list[list[int]]:
    comments = get_comments(session, c.id, Moderation.published)
    return propose_groups([(cm.id, cm.clause_id, cm.body) for cm in comments])


def linked_cases(session: Session, c: Consultation) -> dict[str, Any]:
    """The cases a consultation answers to, as the public sees them (masked; non-public ones only counted)."""
    from minyi.cases.present import public_views

    views = public_views(session, get_linked_cases(session, c.id), with_timeline=False)
    shown = [{"id": v.id, "title": v.title, "status": v.status_zh} for v in views if v.id is not None]
    return {"cases": shown, "not_public": len(views) - len(shown), "origin": c.origin}
