"""Participants' writes: join, comment, support or oppose, write a statement, vote.

Every refusal (closed, hidden, too long, too many, forged id) is checked before the write begins; each write
is one unit of work with an entry on the audit record, and counts towards the participant's rate limit.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.accounts.roles import Role
from minyi.consultation import rules
from minyi.consultation.models import Comment, CommentReaction, Consultation, Participant, Statement
from minyi.consultation.moderation import screen
from minyi.consultation.participants import DEFAULT_GATE, CodeGate, new_pseudonym, verification_ref
from minyi.consultation.queries import account_holder, code_holder
from minyi.consultation.voting import Open, vote_as
from minyi.db import utcnow
from minyi.errors import InvalidInput, NotFound
from minyi.fields import is_id
from minyi.uow import end_read, write


def participant_actor(p: Participant | None = None) -> Actor:
    """Who participants are on the audit record: a pseudonym, never a person."""
    return Actor(Role.citizen, f"participant:{p.pseudonym[:8]}" if p else "participant")


def _record(session: Session, tx_actor: Actor, action: str, c: Consultation, data: dict[str, object]) -> None:
    from minyi.uow import current_tx

    tx = current_tx(session)
    assert tx is not None
    tx.record(f"consultation_{action}", "consultation", c.id, data)


def _verify(
    session: Session,
    c: Consultation,
    tracking_code: str | None,
    account_id: int | None,
    gate: CodeGate | None,
) -> tuple[str, str] | None:
    """(kind, keyed ref) of the participant's verification, or a refusal.

    An unknown tracking code and a code (or account) outside a resident consultation's region get the same
    answer after the same single read, and every code offered counts against the address's limit first.
    """
    kind = "tracking_code" if tracking_code else "account" if account_id is not None else None
    rules.check_method(c.requirement, kind)
    if kind is None:
        return None
    if tracking_code:
        limiter, address = gate or (DEFAULT_GATE, "local")
        wait = limiter.attempt(session, f"code:{address}")
        if wait:
            raise rules.RateLimited(f"查询码尝试过多，请 {wait} 秒后再试",
                                    f"too many tracking codes tried: wait {wait} s", field="tracking_code")  # fmt: skip
        holder = code_holder(session, tracking_code)
    else:
        holder = account_holder(session, int(account_id or 0))
    if holder is None:
        raise rules.NotEligible()
    rules.check_resident(c.requirement, c.region_code, holder[1])
    return kind, verification_ref(kind, holder[0])


def do_join(
    session: Session,
    c: Consultation,
    *,
    tracking_code: str | None = None,
    account_id: int | None = None,
    gate: CodeGate | None = None,
) -> Participant:
    """A participant for this consultation; a verified person finds the participant they had before.

    `gate` is the limiter of tracking-code attempts (shared by every process) and the caller's address.
    """
    rules.check_open_now(c.state, c.opens_at, c.closes_at, utcnow())
    verified = _verify(session, c, tracking_code, account_id, gate)
    if verified is not None:
        found = session.scalars(
            select(Participant).where(
                Participant.consultation_id == c.id, Participant.verified_ref == verified[1]
            )
        ).first()
        if found is not None:
            end_read(session)
            return found
    with write(session, participant_actor()):
        p = Participant(consultation_id=c.id, pseudonym=new_pseudonym(),
                        verified_by=verified[0] if verified else None, verified_ref=verified[1] if verified else None)  # fmt: skip
        session.add(p)
        session.flush()
        _record(session, participant_actor(p), "join", c, {"participant": p.id, "verified_by": p.verified_by})
    return p


def _count_write(session: Session, p: Participant) -> None:
    session.refresh(p, with_for_update=True)  # the counter as it stands, locked against a parallel write
    rate = rules.next_rate(rules.Rate(p.last_write_at, p.writes_in_window), utcnow())
    p.last_write_at, p.writes_in_window = rate.window_start, rate.count


def _check_participation(c: Consultation, p: Participant) -> None:
    rules.check_open_now(c.state, c.opens_at, c.closes_at, utcnow())
    rules.next_rate(rules.Rate(p.last_write_at, p.writes_in_window), utcnow())


def do_comment(
    session: Session, c: Consultation, p: Participant, *, clause_id: int | None, body: str
) -> Comment:
    """A comment on a clause or the whole draft: redacted for the public; flagged ones wait for a moderator."""
    _check_participation(c, p)
    text = rules.check_comment(body)
    if clause_id is not None:
        from minyi.consultation.models import Clause

        clause = session.get(Clause, clause_id)
        if clause is None or clause.consultation_id != c.id:
            raise InvalidInput("条款不存在", "no such clause in this consultation", field="clause_id")
    mine = (
        session.scalar(select(func.count()).select_from(Comment).where(Comment.participant_id == p.id)) or 0
    )
    rules.check_quota(int(mine), rules.COMMENT_LIMIT, "意见", "comments")
    public, flags = screen(text)
    with write(session, participant_actor(p)):
        _count_write(session, p)
        moderation = rules.Moderation.held if flags else rules.Moderation.published
        comment = Comment(consultation_id=c.id, clause_id=clause_id, participant_id=p.id, body=text,
                          public_body=public, flags=flags, moderation=moderation)  # fmt: skip
        session.add(comment)
        session.flush()
        _record(
            session,
            participant_actor(p),
            "comment",
            c,
            {"comment": comment.id, "moderation": moderation, "flags": flags},
        )
    return comment


def do_react(session: Session, c: Consultation, p: Participant, *, comment_id: int, value: int) -> Comment:
    """Support (+1) or oppose (-1) another's comment; changing one's mind moves the counts, never doubles them."""
    _check_participation(c, p)
    comment = session.get(Comment, comment_id) if is_id(comment_id) else None
    if comment is None or comment.consultation_id != c.id or comment.moderation != rules.Moderation.published:
        raise NotFound("意见", "comment")
    with write(session, participant_actor(p)):
        _count_write(session, p)
        old = session.scalars(
            select(CommentReaction).where(
                CommentReaction.comment_id == comment.id, CommentReaction.participant_id == p.id
            )
        ).first()
        if old is not None and old.value == value:
            _record(
                session,
                participant_actor(p),
                "react",
                c,
                {"comment": comment.id, "value": value, "repeat": True},
            )
            return comment
        if old is None:
            session.add(CommentReaction(comment_id=comment.id, participant_id=p.id, value=value))
            old_value = 0
        else:
            old_value, old.value = old.value, value
        # in SQL, so concurrent reactions on PostgreSQL cannot lose a count
        comment.support = Comment.support + int(value == 1) - int(old_value == 1)  # type: ignore[assignment]
        comment.oppose = Comment.oppose + int(value == -1) - int(old_value == -1)  # type: ignore[assignment]
        _record(session, participant_actor(p), "react", c, {"comment": comment.id, "value": value})
    return comment


def do_write_statement(session: Session, c: Consultation, p: Participant, *, text: str) -> Statement:
    """A short statement for others to vote on (≤140 characters, redacted; abusive ones refused)."""
    _check_participation(c, p)
    text = rules.check_statement(text)
    public, flags = screen(text)
    if "abuse" in flags or "link" in flags:
        raise InvalidInput("观点含有不当内容或链接", "the statement contains abuse or a link", field="text")
    mine = (
        session.scalar(select(func.count()).select_from(Statement).where(Statement.participant_id == p.id))
        or 0
    )
    rules.check_quota(int(mine), rules.STATEMENT_LIMIT, "观点", "statements")
    with write(session, participant_actor(p)):
        _count_write(session, p)
        s = Statement(consultation_id=c.id, participant_id=p.id, text=public)
        session.add(s)
        session.flush()
        _record(session, participant_actor(p), "statement", c, {"statement": s.id})
    return s


def do_vote(session: Session, c: Consultation, p: Participant, *, statement_id: int, value: int) -> int:
    """Agree (1), disagree (-1) or pass (0) on a visible statement; a second vote replaces the first.

    For callers that hold the consultation and the participant (the page, the demo); the JSON API goes straight
    to `voting.do_cast_vote` with the signed id. Returns the vote as stored.
    """
    gate = (c.state, Open(c.opens_at, c.closes_at))
    return vote_as(session, c.id, p.pseudonym, gate, statement_id, value, None)
