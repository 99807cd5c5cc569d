"""Access-checked reads of suggestions and proposals: an item the actor may not see is missing (404)."""

from __future__ import annotations

import hashlib

from sqlalchemy import ColumnElement, false, or_, select, true
from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.cases.tracking import normalize_code
from minyi.db import utcnow
from minyi.deadlines.clock import month_policy
from minyi.deadlines.months import ladder_level
from minyi.departments.models import Department
from minyi.errors import NotFound
from minyi.settings import get_settings
from minyi.suggestions.models import (
    ContactRecord,
    FollowUp,
    Proposer,
    Suggestion,
    SuggestionAnswer,
    SuggestionNotice,
    SuggestionUnit,
)
from minyi.suggestions.rules import (
    DEPARTMENT,
    OFFICE,
    OPEN,
    PUBLIC_STATUSES,
    WITH_UNIT,
    UnitFacts,
    format_number,
    may_see_suggestion,
)
from minyi.suggestions.schemas import (
    AnswerOut,
    ContactOut,
    FollowUpOut,
    NoticeOut,
    OpinionOut,
    SuggestionOut,
)

MISSING = ("建议提案", "suggestion")


def code_hash(code: str) -> str:
    """What is stored of a proposer's code: a keyed hash (the code itself is shown once)."""
    key = get_settings().secret_key.encode()
    return hashlib.sha256(b"minyi-proposer|" + key + b"|" + code.encode()).hexdigest()


def co_units(session: Session, suggestion_id: int) -> frozenset[int]:
    """The co-operating units of an item."""
    rows = session.scalars(
        select(SuggestionUnit.department_id).where(SuggestionUnit.suggestion_id == suggestion_id)
    )
    return frozenset(rows)


def unit_rows(session: Session, suggestion_id: int) -> list[SuggestionUnit]:
    """The item's units besides the lead: co-operating and split parts, by department."""
    stmt = select(SuggestionUnit).where(SuggestionUnit.suggestion_id == suggestion_id)
    return list(session.scalars(stmt.order_by(SuggestionUnit.department_id)))


def unit_facts(session: Session, suggestion_id: int) -> list[UnitFacts]:
    """What the pure rules need of the item's units."""
    return [UnitFacts(u.department_id, u.role, u.opinion_requested_at is not None, u.opinion is not None,
                      u.opinion_waived) for u in unit_rows(session, suggestion_id)]  # fmt: skip


def unit_roles(session: Session, suggestion_id: int) -> dict[int, str]:
    """Department → its role on the item (co | part); the lead unit is on the item itself."""
    return {u.department_id: u.role for u in unit_rows(session, suggestion_id)}


def visible_filter(actor: Actor) -> list[ColumnElement[bool]]:
    """The SQL form of `may_see_suggestion` (the same role sets)."""
    if actor.role in OFFICE:
        return [true()]
    if actor.role not in DEPARTMENT or actor.department_id is None:
        return [false()]
    shared = select(SuggestionUnit.suggestion_id).where(SuggestionUnit.department_id == actor.department_id)
    return [or_(Suggestion.lead_unit_id == actor.department_id, Suggestion.id.in_(shared))]


def access_suggestion_by_id(
    session: Session, actor: Actor, suggestion_id: int, *, for_update: bool = False
) -> Suggestion:
    """The item if the actor may see it; NotFound otherwise (missing and forbidden look the same)."""
    if not 1 <= suggestion_id < 2**31:
        raise NotFound(*MISSING)
    stmt = select(Suggestion).where(Suggestion.id == suggestion_id)
    if for_update:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    item = session.scalar(stmt)
    if item is None or not may_see_suggestion(
        actor.role, actor.department_id, item.lead_unit_id, co_units(session, item.id)
    ):
        raise NotFound(*MISSING)
    return item


def access_proposer_by_code(session: Session, raw_code: str) -> Proposer:
    """The proposer a code opens; a mistyped code is refused by its check character."""
    try:
        code = normalize_code(raw_code)
    except Exception as exc:
        raise NotFound("提出人", "proposer") from exc
    proposer = session.scalar(select(Proposer).where(Proposer.code_hash == code_hash(code)))
    if proposer is None:
        raise NotFound("提出人", "proposer")
    return proposer


def access_own_suggestion(
    session: Session, proposer: Proposer, suggestion_id: int, *, for_update: bool = False
) -> Suggestion:
    """One of the proposer's own items (another's is missing)."""
    stmt = select(Suggestion).where(Suggestion.id == suggestion_id, Suggestion.proposer_id == proposer.id)
    if for_update:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    item = session.scalar(stmt) if 1 <= suggestion_id < 2**31 else None
    if item is None:
        raise NotFound(*MISSING)
    return item


def list_suggestions(
    session: Session,
    actor: Actor,
    *,
    session_label: str | None = None,
    status: str | None = None,
    kind: str | None = None,
    limit: int = 200,
) -> list[Suggestion]:
    """The items the actor may see, by session and number."""
    stmt = select(Suggestion).where(*visible_filter(actor))
    if session_label:
        stmt = stmt.where(Suggestion.session_label == session_label)
    if status:
        stmt = stmt.where(Suggestion.status == status)
    if kind:
        stmt = stmt.where(Suggestion.kind == kind)
    return list(
        session.scalars(
            stmt.order_by(Suggestion.session_label, Suggestion.kind, Suggestion.number).limit(limit)
        )
    )


def key_items(session: Session, actor: Actor, limit: int = 50) -> list[SuggestionOut]:
    """Open key items (重点督办) the actor may see, the nearest deadline first: the supervisor board's panel."""
    stmt = select(Suggestion).where(*visible_filter(actor), Suggestion.key_item.is_(True),
                                    Suggestion.status.in_([s.value for s in OPEN]))  # fmt: skip
    return list_views(
        session, list(session.scalars(stmt.order_by(Suggestion.due_at, Suggestion.id).limit(limit)))
    )


def unit_choices(session: Session) -> list[Department]:
    """The active units an item can be given to, by code (the forms' choices)."""
    return list(
        session.scalars(select(Department).where(Department.active.is_(True)).order_by(Department.code))
    )


def proposer_items(session: Session, proposer: Proposer) -> list[Suggestion]:
    """A proposer's own items, newest session first."""
    stmt = select(Suggestion).where(Suggestion.proposer_id == proposer.id)
    return list(session.scalars(stmt.order_by(Suggestion.registered_at.desc(), Suggestion.number)))


def contacts_of(session: Session, suggestion_id: int) -> list[ContactRecord]:
    stmt = (
        select(ContactRecord).where(ContactRecord.suggestion_id == suggestion_id).order_by(ContactRecord.id)
    )
    return list(session.scalars(stmt))


def followups_of(session: Session, suggestion_id: int) -> list[tuple[FollowUp, int]]:
    """The item's follow-ups with the unit whose B answer promised each."""
    stmt = (
        select(FollowUp, SuggestionAnswer.department_id)
        .join(SuggestionAnswer, SuggestionAnswer.id == FollowUp.answer_id)
        .where(FollowUp.suggestion_id == suggestion_id)
        .order_by(FollowUp.id)
    )
    return [(f, d) for f, d in session.execute(stmt).all()]


def answers_of(session: Session, suggestion_id: int) -> list[SuggestionAnswer]:
    stmt = select(SuggestionAnswer).where(SuggestionAnswer.suggestion_id == suggestion_id)
    return list(session.scalars(stmt.order_by(SuggestionAnswer.round, SuggestionAnswer.id)))


def suggestion_view(session: Session, item: Suggestion, *, code: str | None = None) -> SuggestionOut:
    """An item as staff (and its proposer) see it, with its units' opinions, contacts and answers."""
    proposer = session.get(Proposer, item.proposer_id)
    contacts = [ContactOut(way=c.way, contacted_on=c.contacted_on, who=c.who, summary=c.summary)
                for c in contacts_of(session, item.id)]  # fmt: skip
    answers = [_answer(a) for a in answers_of(session, item.id)]
    units = unit_rows(session, item.id)
    out = _out(item, proposer.name if proposer else "", [(u.department_id, u.role) for u in units], contacts,
               answers, code)  # fmt: skip
    out.followups = [FollowUpOut(id=f.id, unit_id=unit, plan=f.plan, due_on=f.due_on, done_at=f.done_at,
                                 done_note=f.done_note) for f, unit in followups_of(session, item.id)]  # fmt: skip
    notices = select(SuggestionNotice).where(SuggestionNotice.suggestion_id == item.id)
    out.notices = [NoticeOut(subject=n.subject, level=n.level, issued_at=n.issued_at)
                   for n in session.scalars(notices.order_by(SuggestionNotice.id))]  # fmt: skip
    out.opinions = [OpinionOut(unit_id=u.department_id, requested_at=u.opinion_requested_at, opinion=u.opinion,
                               given_at=u.opinion_at, waived=u.opinion_waived)
                    for u in units if u.role == "co" and (u.opinion_requested_at or u.opinion)]  # fmt: skip
    return out


def list_views(session: Session, items: list[Suggestion]) -> list[SuggestionOut]:
    """Items for a list, in three queries whatever their number (no contacts or answers)."""
    ids = [i.id for i in items]
    names = dict(session.execute(select(Proposer.id, Proposer.name).where(
        Proposer.id.in_({i.proposer_id for i in items}))).all()) if items else {}  # fmt: skip
    units: dict[int, list[tuple[int, str]]] = {}
    if ids:
        rows = select(SuggestionUnit.suggestion_id, SuggestionUnit.department_id, SuggestionUnit.role).where(
            SuggestionUnit.suggestion_id.in_(ids)
        )
        for sid, dept, role in session.execute(rows.order_by(SuggestionUnit.department_id)):
            units.setdefault(sid, []).append((dept, role))
    return [_out(i, names.get(i.proposer_id, ""), units.get(i.id, []), [], [], None) for i in items]


def _out(item: Suggestion, proposer: str, units: list[tuple[int, str]], contacts: list[ContactOut],
         answers: list[AnswerOut], code: str | None) -> SuggestionOut:  # fmt: skip
    co = [d for d, role in units if role == "co"]
    parts = [d for d, role in units if role == "part"]
    return SuggestionOut(
        id=item.id, number=item.number, number_label=format_number(item.number), kind=item.kind,
        session=item.session_label, status=item.status, category=item.category, subject=item.subject,
        body=item.body, proposer=proposer, cosigners=list(item.cosigners or []), lead_unit_id=item.lead_unit_id,
        co_unit_ids=co, part_unit_ids=parts, assigned_at=item.assigned_at, dispute_until=item.dispute_until,
        due_at=item.due_at, months=item.months, round=item.round, key_item=item.key_item, key_leader=item.key_leader,
        published=item.published, withhold_reason=item.withhold_reason, not_accepted_reason=item.not_accepted_reason,
        to_opinion=item.to_opinion, satisfaction=item.satisfaction, version=item.version, contacts=contacts,
        answers=answers, proposer_code=code, ladder=ladder_now(item),
    )  # fmt: skip


def ladder_now(item: Suggestion) -> int:
    """The rung of the ladder due now for an item the lead unit still owes an answer (0 otherwise)."""
    if item.status not in WITH_UNIT:
        return 0
    return ladder_level(utcnow(), item.due_at, month_policy())


def _answer(a: SuggestionAnswer) -> AnswerOut:
    return AnswerOut(
        id=a.id, round=a.round, unit_id=a.department_id, category=a.category, text=a.text, plan=a.plan, plan_date=a.plan_date, reason=a.reason,
        signed_by=a.signed_by_label, answered_at=a.answered_at, on_time=a.on_time, satisfaction=a.satisfaction,
        comment=a.comment,
    )  # fmt: skip


def public_answers(
    session: Session, session_label: str | None = None, limit: int = 200
) -> list[dict[str, object]]:
    """Published answers (答复公开), newest first: the item's number, subject and the answers, masked."""
    from minyi.nlp.pii import redact

    stmt = select(Suggestion).where(Suggestion.published.is_(True), Suggestion.status.in_(PUBLIC_STATUSES))
    if session_label:
        stmt = stmt.where(Suggestion.session_label == session_label)
    items = list(session.scalars(stmt.order_by(Suggestion.answered_at.desc()).limit(limit)))
    answers: dict[int, list[SuggestionAnswer]] = {}
    if items:
        rows = select(SuggestionAnswer).where(SuggestionAnswer.suggestion_id.in_([i.id for i in items]))
        for a in session.scalars(rows.order_by(SuggestionAnswer.round)):
            answers.setdefault(a.suggestion_id, []).append(a)
    return [
        {"id": i.id, "number": format_number(i.number), "kind": i.kind, "session": i.session_label, "subject": redact(i.subject),
         "answers": [{"round": a.round, "category": a.category, "text": redact(a.text), "at": a.answered_at,
                      "plan_date": a.plan_date} for a in answers.get(i.id, [])]}
        for i in items
    ]  # fmt: skip
