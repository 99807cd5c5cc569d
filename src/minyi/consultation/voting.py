"""A vote, the slice's hot path: every check and every write in one transaction of a few prepared statements.

What can be refused without the database is refused first, taking no lock: a forged or foreign participant id
(the signature), a consultation known to be closed or unknown to this process (one read, then the open ones are
remembered with their dates), a participant this process has already refused for flooding (until their window
ends), a vote that is not 1, 0 or -1. Then one unit of work reads everything the vote depends on in one statement
(the consultation's state, dates and chain head, the participant and their rate counter, the statement, an
earlier vote) and checks it all again, authoritatively, before writing anything: a refusal there rolls back.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import Connection, CursorResult, Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from minyi.access import may_see_consultation
from minyi.accounts.actor import CITIZEN, Actor
from minyi.accounts.roles import Role
from minyi.consultation import rules
from minyi.consultation import vote_sql as sql
from minyi.consultation.participants import BadParticipant, pseudonym_from
from minyi.consultation.queries import missing_consultation
from minyi.consultation.vote_chain import link_vote
from minyi.db import bind_key, register_cache, utcnow
from minyi.errors import Conflict, NotFound
from minyi.fields import is_id
from minyi.uow import current_tx, end_read, write


class Open(NamedTuple):
    """An open consultation's dates."""

    opens_at: datetime
    closes_at: datetime


_OPEN: dict[tuple[str, int], Open] = register_cache({})  # open consultations' dates, per database
_LIMITED: dict[str, datetime] = register_cache({})  # pseudonym → the end of the window it was refused in
_MEMO_MAX = 10_000


def _gate(session: Session, consultation_id: int, actor: Actor) -> tuple[str, Open]:
    """The consultation's state and dates (remembered while open), or 404 when it is missing or not visible."""
    key = (bind_key(session), consultation_id)
    known = _OPEN.get(key)
    if known is not None and known.opens_at <= utcnow() < known.closes_at:
        return rules.State.open, known
    _OPEN.pop(key, None)  # past its remembered dates: the stored ones decide
    row = (
        session.connection().execute(sql.GATE, {"c": consultation_id}).first()
        if is_id(consultation_id)
        else None
    )
    end_read(session)
    if row is None or not may_see_consultation(actor, row.state, row.department_id):
        raise missing_consultation()
    dates = Open(row.opens_at, row.closes_at)
    if row.state == rules.State.open and len(_OPEN) < _MEMO_MAX:
        _OPEN[key] = dates
    return str(row.state), dates


def _refuse_closed(session: Session, consultation_id: int) -> rules.ConsultationClosed:
    _OPEN.pop((bind_key(session), consultation_id), None)
    return rules.ConsultationClosed(
        "征求意见未开放或已截止", "the consultation is not open for participation"
    )


def do_cast_vote(
    session: Session,
    consultation_id: int,
    token: str | None,
    *,
    statement_id: int,
    value: int,
    actor: Actor = CITIZEN,
) -> int:
    """Agree (1), disagree (-1) or pass (0) on a visible statement; a second vote replaces the first.

    `token` is the participant's signed id. Refusals, in order: 404 (no such consultation, or not visible to
    `actor`), 403 (a forged, expired or foreign id), 409 (not open), 429 (flooding), 422 (not a vote), 404
    (no such visible statement in it). Returns the vote as stored.
    """
    state, dates = _gate(session, consultation_id, actor)
    pseudonym = pseudonym_from(token, consultation_id)
    return vote_as(session, consultation_id, pseudonym, (state, dates), statement_id, value, actor)


def vote_as(
    session: Session,
    consultation_id: int,
    pseudonym: str,
    gate: tuple[str, Open],
    statement_id: int,
    value: int,
    actor: Actor | None,
) -> int:
    """The vote of a known participant; `gate` is the consultation's state and dates as the caller read them,
    `actor` whom it must be visible to (None: the caller has checked). Every check is made again under the write."""
    now = utcnow()
    state, dates = gate
    if state != rules.State.open or not (dates.opens_at <= now < dates.closes_at):
        raise _refuse_closed(session, consultation_id)
    limited = _LIMITED.get(pseudonym)
    if limited is not None and now < limited:
        raise rules.RateLimited(
            "操作过于频繁，请稍后再试", "too many writes: slow down and try again shortly"
        )
    rules.check_vote(value)
    if not is_id(statement_id):
        raise NotFound("观点", "statement")
    try:
        with write(session, Actor(Role.citizen, f"participant:{pseudonym[:8]}")):
            _cast(session, consultation_id, pseudonym, statement_id, value, now, actor)
    except IntegrityError:
        raise Conflict("同一观点的表态正在提交，请勿重复提交", "a concurrent vote on this statement won: retry",
                       code="duplicate_vote") from None  # fmt: skip
    return value


def _cast(
    session: Session,
    consultation_id: int,
    pseudonym: str,
    statement_id: int,
    value: int,
    now: datetime,
    actor: Actor | None,
) -> None:
    """Inside the unit of work: read what the vote depends on (locked on PostgreSQL), check it, write it."""
    conn = session.connection()
    read = sql.VOTE_STATE_LOCKED if conn.dialect.name == "postgresql" else sql.VOTE_STATE
    row = conn.execute(read, {"c": consultation_id, "ps": pseudonym, "s": statement_id}).first()
    if row is None:  # the consultation went away, or no such participant in it
        raise _refuse_missing(conn, consultation_id, actor)
    if actor is not None and not may_see_consultation(actor, row.state, row.department_id):
        raise missing_consultation()
    if row.state != rules.State.open or not (row.opens_at <= now < row.closes_at):
        raise _refuse_closed(session, consultation_id)
    try:
        rate = rules.next_rate(rules.Rate(row.last_write_at, row.writes_in_window), now)
    except rules.RateLimited:
        if len(_LIMITED) >= _MEMO_MAX:
            _LIMITED.clear()
        _LIMITED[pseudonym] = row.last_write_at + rules.RATE_WINDOW
        raise
    if row.statement_consultation_id != consultation_id or row.hidden:
        raise NotFound("观点", "statement")
    params = {"c": consultation_id, "s": statement_id, "p": row.participant_id, "v": value, "now": now}
    # On PostgreSQL the read's snapshot may predate a vote committed while it waited for the participant's lock:
    # there a "new" vote tries the update first, in a statement of its own (a fresh snapshot).
    first = row.earlier is None and (
        conn.dialect.name != "postgresql"
        or not cast(CursorResult[Any], conn.execute(sql.CHANGE_VOTE, params)).rowcount
    )
    if first:
        conn.execute(sql.NEW_VOTE, params)
        conn.execute(sql.SEEN, params)  # in SQL: no lost update under concurrency
    elif row.earlier is not None:
        conn.execute(sql.CHANGE_VOTE, params)
    conn.execute(sql.SET_RATE, {"start": rate.window_start, "n": rate.count, "p": row.participant_id})
    link_vote(
        session, consultation_id, (row.vote_seq, row.vote_head), row.participant_id, statement_id, value, now
    )
    _schedule_recompute(session, consultation_id)


def _refuse_missing(conn: Connection, consultation_id: int, actor: Actor | None) -> Exception:
    row = conn.execute(sql.GATE, {"c": consultation_id}).first()
    if row is None or (actor is not None and not may_see_consultation(actor, row.state, row.department_id)):
        return missing_consultation()
    return BadParticipant()


def _schedule_recompute(session: Session, consultation_id: int) -> None:
    """After the vote commits, recompute the opinion map on a short timer (not under tests: they call it)."""
    from minyi.consultation.recompute import schedule
    from minyi.settings import get_settings

    tx = current_tx(session)
    engine: Any = session.get_bind()
    if tx is not None and get_settings().env != "test" and isinstance(engine, Engine):
        tx.after_commit(lambda: schedule(engine, consultation_id))
