"""Rows of the open-data package for consultations (with their feedback) and suggestions and proposals (their
public answers): only what the public pages show, every text masked again by the one redaction."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minyi.consultation.models import Comment, CommentGroup, Consultation
from minyi.consultation.rules import Moderation, State
from minyi.nlp.pii import redact
from minyi.suggestions.models import Suggestion, SuggestionAnswer
from minyi.suggestions.rules import PUBLIC_STATUSES

# the rules the public pages follow: access.may_see_consultation (opened, never a draft) and
# suggestions.rules.is_public (published, and answered)
OPENED = Consultation.state != State.draft.value
PUBLISHED_ANSWER = (Suggestion.published.is_(True), Suggestion.status.in_([s.value for s in PUBLIC_STATUSES]))


def _iso(at: datetime | None) -> str:
    return at.replace(microsecond=0).isoformat().replace("+00:00", "Z") if at else ""


def consultation_rows(session: Session) -> Iterator[list[Any]]:
    """One row per opened consultation, with the number of its published comments."""
    published = (
        select(Comment.consultation_id, func.count().label("n"))
        .where(Comment.moderation == Moderation.published.value)
        .group_by(Comment.consultation_id)
        .subquery()
    )
    rows = session.execute(
        select(Consultation.id, Consultation.title, Consultation.kind, Consultation.department_id,
               Consultation.region_code, Consultation.opens_at, Consultation.closes_at, Consultation.state,
               Consultation.answered_at, func.coalesce(published.c.n, 0))
        .outerjoin(published, published.c.consultation_id == Consultation.id)
        .where(OPENED).order_by(Consultation.id)
    )  # fmt: skip
    for cid, title, kind, dept, region, opens, closes, state, answered, n in rows:
        yield [cid, redact(title), kind, dept, region, _iso(opens), _iso(closes), state, _iso(answered), n]


def consultation_answer_rows(session: Session) -> Iterator[list[Any]]:
    """The organisers' answer to each group of comments of an opened consultation (answered groups only)."""
    counted = (
        select(Comment.group_id, func.count().label("n"))
        .where(Comment.moderation == Moderation.published.value, Comment.group_id.is_not(None))
        .group_by(Comment.group_id)
        .subquery()
    )
    rows = session.execute(
        select(CommentGroup.consultation_id, CommentGroup.id, CommentGroup.title, CommentGroup.answer,
               CommentGroup.reason, func.coalesce(counted.c.n, 0))
        .join(Consultation, Consultation.id == CommentGroup.consultation_id)
        .outerjoin(counted, counted.c.group_id == CommentGroup.id)
        .where(OPENED, CommentGroup.answer.is_not(None)).order_by(CommentGroup.id)
    )  # fmt: skip
    for cid, gid, title, answer, reason, n in rows:
        yield [cid, gid, redact(title), answer, redact(reason or ""), n]


def suggestion_rows(session: Session) -> Iterator[list[Any]]:
    """Suggestions and proposals whose answers are public: number, subject (masked), lead unit, category."""
    rows = session.execute(
        select(Suggestion.id, Suggestion.kind, Suggestion.session_label, Suggestion.number, Suggestion.subject,
               Suggestion.lead_unit_id, Suggestion.status, Suggestion.category, Suggestion.answered_at)
        .where(*PUBLISHED_ANSWER).order_by(Suggestion.id)
    )  # fmt: skip
    for sid, kind, label, number, subject, lead, status, category, answered in rows:
        yield [sid, kind, label, number, redact(subject), lead, status, category, _iso(answered)]


def suggestion_answer_rows(session: Session) -> Iterator[list[Any]]:
    """Every answer (first and second round) to a suggestion or proposal whose answers are public, masked."""
    rows = session.execute(
        select(SuggestionAnswer.suggestion_id, SuggestionAnswer.round, SuggestionAnswer.category,
               SuggestionAnswer.text, SuggestionAnswer.answered_at, SuggestionAnswer.plan_date)
        .join(Suggestion, Suggestion.id == SuggestionAnswer.suggestion_id)
        .where(*PUBLISHED_ANSWER).order_by(SuggestionAnswer.suggestion_id, SuggestionAnswer.round)
    )  # fmt: skip
    for sid, rnd, category, text, answered, plan in rows:
        yield [sid, rnd, category, redact(text), _iso(answered), plan.isoformat() if plan else ""]
