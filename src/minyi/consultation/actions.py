"""The organiser's writes: draft, open, close, moderate, group and answer comments, publish the report.

Each is one unit of work with one entry on the global audit record (`tx.record`).
"""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.access import may_manage_consultation
from minyi.accounts.actor import Actor
from minyi.consultation import rules, vote_chain
from minyi.consultation.drafts import parse_draft
from minyi.consultation.models import Clause, Comment, CommentGroup, Consultation, LinkedCase, Statement
from minyi.consultation.queries import linked_case_ids
from minyi.consultation.schemas import ConsultationIn, GroupsIn
from minyi.db import utcnow
from minyi.departments.models import Department, Region
from minyi.errors import Conflict, InvalidInput, NotFound
from minyi.uow import case_action, current_tx, unit_of_work

OBJECT = "consultation"
T = TypeVar("T")


def _record(session: Session, action: str, consultation_id: int, data: dict[str, object]) -> None:
    tx = current_tx(session)
    assert tx is not None, "called outside its unit of work"
    tx.record(f"consultation_{action}", OBJECT, consultation_id, data)


def _child(session: Session, model: type[T], object_id: int, c: Consultation, zh: str, en: str) -> T:
    """A comment, statement, group or clause of this consultation (another's looks missing)."""
    found = session.get(model, object_id)
    if found is None or getattr(found, "consultation_id", None) != c.id:
        raise NotFound(zh, en)
    return found


def check_create(actor: Actor, body: ConsultationIn) -> list[tuple[str, str]]:
    """Every refusal of a new consultation, before anything is written; the warnings it carries."""
    if not may_manage_consultation(actor, body.department_id):
        raise NotFound("部门", "department")
    if body.department_id is None and not body.committee:
        raise InvalidInput("请指定组织部门或居（村）民委员会", "name the organising department or committee",
                           field="department_id")  # fmt: skip
    if body.kind == rules.Kind.community and not body.region_code:
        raise InvalidInput(
            "社区议事须指定范围（区域）", "a community consultation needs a region", field="region_code"
        )
    if body.requirement == rules.Requirement.resident and not body.region_code:
        raise InvalidInput("仅限本地居民参加的议事须指定区域", "a residents-only consultation needs a region",
                           field="requirement")  # fmt: skip
    rules.check_dates(body.opens_at, body.closes_at)
    parse_draft(body.draft)
    return rules.warnings(body.kind, body.opens_at, body.closes_at)


@unit_of_work
def do_create_consultation(
    session: Session, actor: Actor, body: ConsultationIn, *, source: str | None = None
) -> Consultation:
    """A new consultation in draft, its clauses split from the draft text."""
    check_create(actor, body)
    if body.department_id is not None and session.get(Department, body.department_id) is None:
        raise NotFound("部门", "department")
    if body.region_code and session.get(Region, body.region_code) is None:
        raise InvalidInput("区域代码不存在", "unknown region code", field="region_code")
    linked = linked_case_ids(session, actor, body.linked_cases)
    c = Consultation(
        title=body.title.strip(), background=body.background, kind=body.kind, department_id=body.department_id,
        committee=body.committee, region_code=body.region_code, opens_at=body.opens_at, closes_at=body.closes_at,
        requirement=body.requirement, state=rules.State.draft, source=source, origin=body.origin,
    )  # fmt: skip
    session.add(c)
    session.flush()
    session.add_all(LinkedCase(consultation_id=c.id, case_id=case_id) for case_id in linked)
    for clause in parse_draft(body.draft):
        session.add(
            Clause(consultation_id=c.id, number=clause.number, heading=clause.heading, draft_text=clause.text)
        )
    _record(session, "create", c.id, {"title": c.title, "kind": c.kind, "clauses": len(parse_draft(body.draft)),
                                      "linked_cases": linked, "origin": c.origin})  # fmt: skip
    return c


def _transition(session: Session, c: Consultation, action: str, note: str | None) -> None:
    before = c.state
    c.state = rules.check_transition(action, c.state)
    _record(session, action, c.id, {"from": before, "to": c.state, "note": note})


@case_action
def do_open(
    session: Session, c: Consultation, actor: Actor, *, note: str | None = None
) -> list[tuple[str, str]]:
    """Open the draft for comment (or schedule it, when its open date is ahead: the sweep opens it then).

    The warnings (a short period for a major decision) come back.
    """
    rules.check_dates(c.opens_at, c.closes_at)
    now = utcnow()
    if c.closes_at <= now:
        raise Conflict("截止时间已过，请先修改日期", "the close date has passed", field="closes_at")
    _transition(session, c, rules.opening_state(c.opens_at, now), note)
    return rules.warnings(c.kind, c.opens_at, c.closes_at)


@case_action
def do_close(session: Session, c: Consultation, actor: Actor, *, note: str | None = None) -> None:
    """Stop taking part (at once, or after the close date has passed)."""
    c.closed_at = utcnow()
    _transition(session, c, "close", note)
    vote_chain.seal(session, c)  # the last votes' head on the global chain


@case_action
def do_moderate_comment(
    session: Session, c: Consultation, actor: Actor, *, comment_id: int, decision: str, reason: str
) -> Comment:
    """Publish or hide a comment, with a reason that stays on the record."""
    comment = _child(session, Comment, comment_id, c, "意见", "comment")
    before, comment.moderation, comment.moderation_reason = comment.moderation, decision, reason
    _record(
        session, "moderate", c.id, {"comment": comment.id, "from": before, "to": decision, "reason": reason}
    )
    return comment


@case_action
def do_hide_statement(
    session: Session, c: Consultation, actor: Actor, *, statement_id: int, hidden: bool, reason: str
) -> Statement:
    """Take a statement off (or back onto) the vote and the map."""
    s = _child(session, Statement, statement_id, c, "观点", "statement")
    s.hidden = hidden
    _record(session, "hide_statement", c.id, {"statement": s.id, "hidden": hidden, "reason": reason})
    return s


@case_action
def do_group_comments(
    session: Session, c: Consultation, actor: Actor, *, body: GroupsIn
) -> list[CommentGroup]:
    """Replace the grouping: every published comment in exactly one group (answers start afresh)."""
    if c.state != rules.State.closed:
        raise Conflict("征求意见截止后才能归类意见", "comments are grouped after the consultation closes",
                       code="invalid_transition")  # fmt: skip
    published = {
        cm.id: cm
        for cm in session.scalars(
            select(Comment).where(Comment.consultation_id == c.id, Comment.moderation == "published")
        )
    }
    listed = [i for g in body.groups for i in g.comment_ids]
    if len(listed) != len(set(listed)) or set(listed) != set(published):
        raise InvalidInput("每条已发布的意见必须恰好归入一组", "every published comment must be in exactly one group",
                           field="groups")  # fmt: skip
    for cm in published.values():
        cm.group_id = None
    session.flush()
    for old in session.scalars(select(CommentGroup).where(CommentGroup.consultation_id == c.id)):
        session.delete(old)
    session.flush()
    groups = []
    for g in body.groups:
        group = CommentGroup(consultation_id=c.id, title=g.title.strip())
        session.add(group)
        session.flush()
        for i in g.comment_ids:
            published[i].group_id = group.id
        groups.append(group)
    _record(session, "group", c.id, {"groups": [[g.title, g.comment_ids] for g in body.groups]})
    return groups


@case_action
def do_answer_group(
    session: Session, c: Consultation, actor: Actor, *, group_id: int, answer: str, reason: str
) -> CommentGroup:
    """Adopted, partly adopted or not adopted, with the reason the public reads."""
    group = _child(session, CommentGroup, group_id, c, "意见组", "comment group")
    if c.state != rules.State.closed:
        raise Conflict("只能在截止后、发布反馈前答复", "groups are answered between closing and the report",
                       code="invalid_transition")  # fmt: skip
    group.answer, group.reason = rules.Answer(answer), reason.strip()
    _record(session, "answer", c.id, {"group": group.id, "answer": answer, "reason": group.reason})
    return group


@case_action
def do_set_final_text(
    session: Session, c: Consultation, actor: Actor, *, clause_id: int, final_text: str
) -> Clause:
    """The clause as decided, shown beside its draft in the feedback report."""
    clause = _child(session, Clause, clause_id, c, "条款", "clause")
    if c.state != rules.State.closed:
        raise Conflict("只能在截止后、发布反馈前填写定稿", "the final text is set between closing and the report",
                       code="invalid_transition")  # fmt: skip
    clause.final_text = final_text.strip()
    _record(session, "final_text", c.id, {"clause": clause.number})
    return clause


@case_action
def do_publish_report(session: Session, c: Consultation, actor: Actor, *, note: str | None = None) -> None:
    """Publish the feedback report: refused while any comment group has no answer."""
    groups = list(session.scalars(select(CommentGroup).where(CommentGroup.consultation_id == c.id)))
    ungrouped = session.scalars(
        select(Comment.id).where(
            Comment.consultation_id == c.id, Comment.moderation == "published", Comment.group_id.is_(None)
        )  # fmt: skip
    ).first()
    if ungrouped is not None:
        raise Conflict(
            "还有意见未归组，不能发布反馈报告", "some comments are in no group yet", code="ungrouped_comments"
        )
    rules.check_answerable(g.answer for g in groups)
    c.answered_at = utcnow()
    _transition(session, c, "publish_report", note)
