"""Experts and advisory bodies as a channel: staff ask a member of an expert body for an opinion on a case or a
suggestion; the expert gives it, signed by its audit-chain entry and the SHA-256 of the document; the inviter
decides whether it is published. Each write is one unit of work on the record; every refusal comes first."""

from __future__ import annotations

from sqlalchemy.orm import Session

from minyi.access import may_invite_expert
from minyi.accounts.actor import Actor
from minyi.accounts.models import User
from minyi.audit.log import append_entry
from minyi.consultation.expert_rules import check_opinion
from minyi.db import utcnow
from minyi.deadlines.workcal import CHINA
from minyi.errors import Forbidden, InvalidInput, NotFound
from minyi.nlp.pii import redact
from minyi.organisations.expert_queries import (
    MISSING,
    access_request_for_expert,
    access_request_for_staff,
    access_subject,
    expert_choices,
)
from minyi.organisations.models import ExpertRequest, Organisation
from minyi.organisations.rules import check_due, opinion_hash, shown_name
from minyi.organisations.schemas import ExpertInviteIn
from minyi.uow import mark_audited, write


def do_invite_expert(session: Session, actor: Actor, body: ExpertInviteIn) -> ExpertRequest:
    """Ask a member of an expert body for a signed opinion on a case or suggestion the inviter may see."""
    access_subject(session, actor, body.subject_type, body.subject_id)
    if not may_invite_expert(actor):
        raise Forbidden("您的岗位不能邀请专家", "your role may not ask experts for opinions")
    check_due(body.due_on, utcnow().astimezone(CHINA).date())
    found = [c for c in expert_choices(session) if c[0] == body.expert_user_id]
    if not found:
        raise InvalidInput("请选择专家咨询机构的在册成员", "choose a member of an active expert body",
                           field="expert_user_id")  # fmt: skip
    with write(session, actor) as tx:
        row = ExpertRequest(subject_type=body.subject_type, subject_id=body.subject_id, organisation_id=found[0][3],
                            expert_user_id=body.expert_user_id, invited_by_user_id=actor.user_id,
                            question=body.question, due_on=body.due_on, published=False)  # fmt: skip
        session.add(row)
        session.flush()
        tx.record("expert.invite", body.subject_type, body.subject_id,
                  {"request": row.id, "expert_user_id": body.expert_user_id, "organisation_id": found[0][3],
                   "due_on": body.due_on.isoformat() if body.due_on else None})  # fmt: skip
    return row


def do_give_expert_opinion(session: Session, actor: Actor, request_id: int, body: str) -> ExpertRequest:
    """The invited expert's opinion, masked of others' personal data, hashed and signed by its chain entry."""
    row = access_request_for_expert(session, actor, request_id)
    text = redact(check_opinion(body, row.submitted_at is not None))
    with write(session, actor):
        row = access_request_for_expert(session, actor, request_id, lock=True)
        check_opinion(text, row.submitted_at is not None)  # a parallel submission got there first
        org = session.get(Organisation, row.organisation_id)
        assert org is not None
        user = session.get(User, actor.user_id)
        assert user is not None
        # signed with the name the pages show (never the login): anyone can check the hash from what is published
        signer = shown_name(user.display_name, user.username, org.name)
        digest = opinion_hash(row.subject_type, row.subject_id, signer, org.name, text)
        entry = append_entry(session, actor, "expert.opinion", row.subject_type, row.subject_id,
                             {"request": row.id, "sha256": digest})  # fmt: skip
        mark_audited(session)
        row.body, row.submitted_at, row.content_hash = text, entry.at, digest
        row.audit_seq, row.audit_hash = entry.seq, entry.hash
    return row


def do_publish_expert_opinion(
    session: Session, actor: Actor, request_id: int, publish: bool
) -> ExpertRequest:
    """The inviter publishes an opinion on the subject's public page, or withdraws it (on the record)."""
    row = access_request_for_staff(session, actor, request_id)
    if row.invited_by_user_id != actor.user_id:
        raise Forbidden("只有邀请人可以决定是否公开", "only the inviter decides whether it is published")
    if row.submitted_at is None:
        raise InvalidInput("专家尚未提交意见", "the expert has not given the opinion yet", field="publish")
    with write(session, actor) as tx:
        locked = session.get(ExpertRequest, request_id, with_for_update=True, populate_existing=True)
        if locked is None:
            raise NotFound(*MISSING)
        locked.published = publish
        tx.record("expert.publish", locked.subject_type, locked.subject_id,
                  {"request": locked.id, "published": publish})  # fmt: skip
    return locked
