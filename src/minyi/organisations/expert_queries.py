"""Access-checked reads of expert requests: staff who may see the case or suggestion see its requests; only the
invited expert sees a request addressed to them; the public sees an opinion only once the inviter publishes it."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.accounts.models import User
from minyi.accounts.roles import Role
from minyi.cases.queries import access_case_by_id
from minyi.db import utcnow
from minyi.deadlines.workcal import CHINA
from minyi.errors import NotFound
from minyi.nlp.pii import redact
from minyi.organisations.models import ExpertRequest, Organisation, OrganisationMember
from minyi.organisations.rules import OrganisationKind, opinion_status, shown_name
from minyi.organisations.schemas import ExpertOpinionOut
from minyi.suggestions.queries import access_suggestion_by_id

MISSING = ("专家意见", "expert opinion")


def access_subject(session: Session, actor: Actor, subject_type: str, subject_id: int) -> None:
    """The case or suggestion, if this member of staff may see it; NotFound otherwise."""
    if not actor.is_staff:
        raise NotFound(*MISSING)
    if subject_type == "case":
        access_case_by_id(session, actor, subject_id)
    elif subject_type == "suggestion":
        access_suggestion_by_id(session, actor, subject_id)
    else:
        raise NotFound(*MISSING)


def expert_choices(session: Session) -> list[tuple[int, str, str, int]]:
    """Who may be asked: active members of active expert bodies (user id, name, body, body id)."""
    stmt = (
        select(User.id, User.display_name, Organisation.name, Organisation.id)
        .join(OrganisationMember, OrganisationMember.user_id == User.id)
        .join(Organisation, Organisation.id == OrganisationMember.organisation_id)
        .where(Organisation.kind == OrganisationKind.expert_body.value, Organisation.active.is_(True),
               User.active.is_(True), User.role == Role.member.value)
        .order_by(Organisation.name, User.display_name)
    )  # fmt: skip
    return [(uid, name, org, oid) for uid, name, org, oid in session.execute(stmt)]


def _views(session: Session, *where: object) -> list[ExpertOpinionOut]:
    stmt = (
        select(ExpertRequest, User.display_name, User.username, Organisation.name)
        .join(User, User.id == ExpertRequest.expert_user_id)
        .join(Organisation, Organisation.id == ExpertRequest.organisation_id)
        .where(*where)  # type: ignore[arg-type]
        .order_by(ExpertRequest.id)
    )
    today = utcnow().astimezone(CHINA).date()
    return [
        ExpertOpinionOut(
            id=r.id, subject_type=r.subject_type, subject_id=r.subject_id, expert=shown_name(name, login, org),
            organisation=org, question=redact(r.question), due_on=r.due_on,
            status=opinion_status(r.submitted_at is not None, r.published, r.due_on, today), invited_at=r.invited_at,
            body=r.body, submitted_at=r.submitted_at, content_hash=r.content_hash, audit_seq=r.audit_seq,
            audit_hash=r.audit_hash, published=r.published,
        )
        for r, name, login, org in session.execute(stmt)
    ]  # fmt: skip


def access_request_for_staff(session: Session, actor: Actor, request_id: int) -> ExpertRequest:
    """A request on a subject this member of staff may see; NotFound otherwise."""
    row = session.get(ExpertRequest, request_id) if 1 <= request_id < 2**31 else None
    if row is None:
        raise NotFound(*MISSING)
    try:
        access_subject(session, actor, row.subject_type, row.subject_id)
    except NotFound:  # a request on a subject you may not see reads exactly like a missing request
        raise NotFound(*MISSING) from None
    return row


def access_request_for_expert(
    session: Session, actor: Actor, request_id: int, *, lock: bool = False
) -> ExpertRequest:
    """A request addressed to this expert; anyone else (staff, other experts) finds nothing (404)."""
    row = None
    if actor.role == Role.member and actor.user_id is not None and 1 <= request_id < 2**31:
        row = session.get(ExpertRequest, request_id, with_for_update=lock, populate_existing=lock)
    if row is None or row.expert_user_id != actor.user_id:
        raise NotFound(*MISSING)
    still_in = session.scalar(select(Organisation.id).join(OrganisationMember, OrganisationMember.organisation_id ==
        Organisation.id).where(Organisation.id == row.organisation_id, Organisation.active.is_(True),
                               OrganisationMember.user_id == actor.user_id))  # fmt: skip
    if still_in is None:  # the body was deactivated or the expert left it: the request is no longer theirs
        raise NotFound(*MISSING)
    return row


def requests_on(session: Session, actor: Actor, subject_type: str, subject_id: int) -> list[ExpertOpinionOut]:
    """Every request on a case or suggestion the member of staff may see, and the opinions given."""
    access_subject(session, actor, subject_type, subject_id)
    return _views(session, ExpertRequest.subject_type == subject_type, ExpertRequest.subject_id == subject_id)


def expert_inbox(session: Session, actor: Actor) -> list[ExpertOpinionOut]:
    """The requests addressed to this expert (none for anyone else)."""
    if actor.role != Role.member or actor.user_id is None:
        raise NotFound(*MISSING)
    return _views(session, ExpertRequest.expert_user_id == actor.user_id)


def published_opinions(session: Session, subject_type: str, subject_id: int) -> list[ExpertOpinionOut]:
    """The opinions on a case or suggestion that the inviter published (for the public page)."""
    return _views(session, ExpertRequest.subject_type == subject_type, ExpertRequest.subject_id == subject_id,
                  ExpertRequest.published.is_(True), ExpertRequest.submitted_at.is_not(None))  # fmt: skip


def published_opinions_on(
    session: Session, subject_type: str, subject_ids: Sequence[int]
) -> list[ExpertOpinionOut]:
    """The published opinions on many cases or suggestions at once (for a public list)."""
    return _views(session, ExpertRequest.subject_type == subject_type, ExpertRequest.subject_id.in_(subject_ids),
                  ExpertRequest.published.is_(True), ExpertRequest.submitted_at.is_not(None))  # fmt: skip
