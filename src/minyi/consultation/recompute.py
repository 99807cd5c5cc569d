"""Opinion groups recomputed off the request path and stored: a short timer after votes, or `minyi opinions recompute`.

A vote's unit of work schedules `schedule(engine, consultation_id)` after it commits; the first vote starts a
timer of RECOMPUTE_DELAY_S, later votes in that window join it, so a burst of votes costs one computation.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from minyi.accounts.actor import SYSTEM
from minyi.consultation.models import OpinionMap, Participant, Statement, Vote
from minyi.consultation.opinion_groups import OpinionGroups, compute_opinion_groups
from minyi.consultation.projection import ever_counted
from minyi.consultation.votes import build_vote_matrix
from minyi.db import session_factory, utcnow
from minyi.uow import end_read, write

log = logging.getLogger(__name__)
RECOMPUTE_DELAY_S = 5.0
_pending: set[tuple[int, int]] = set()
_lock = threading.Lock()


def map_data(result: OpinionGroups, texts: dict[str, str], votes: int) -> dict[str, Any]:
    """The stored map: groups with sizes and representative statements, consensus, divisive, points."""

    def st(index: int) -> dict[str, Any]:
        sid = result.statements[index]
        return {"id": int(sid), "text": texts.get(sid, "")}

    return {
        "votes": votes,
        "participants": len(result.group_of),
        "groups": [{"id": g.id, "size": g.size, "representative": [
            {**st(r.statement), "direction": r.direction, "p": round(r.p_success, 3)} for r in g.representative[:5]]}
            for g in result.groups],
        "consensus": [{**st(s.statement), "direction": s.direction} for s in result.consensus[:5]],
        "divisive": [{**st(s.statement), "p_agree_by_group": [round(p, 3) for p in s.p_agree_by_group]}
                     for s in result.divisive[:5]],
        "points": [[round(x, 4), round(y, 4), result.group_of[p]] for p, (x, y) in result.points.items()
                   if result.group_of[p] is not None],
    }  # fmt: skip


def recompute(session: Session, consultation_id: int) -> OpinionMap:
    """Compute the consultation's opinion groups from its votes and store them (the CPU work before the write)."""
    rows = session.execute(
        select(Vote.participant_id, Vote.statement_id, Vote.value, Vote.at)
        .where(Vote.consultation_id == consultation_id).order_by(Vote.at, Vote.id)
    ).all()  # fmt: skip
    statements = session.execute(
        select(Statement.id, Statement.text, Statement.hidden, Statement.created_at).where(
            Statement.consultation_id == consultation_id
        )
    ).all()
    participants = session.scalars(
        select(Participant.id).where(Participant.consultation_id == consultation_id)
    ).all()
    end_read(session)
    matrix = build_vote_matrix(
        ((str(p), str(s), int(v)) for p, s, v, _ in rows),
        participants=[str(p) for p in participants],
        statements=[str(s.id) for s in statements],
        excluded=[str(s.id) for s in statements if s.hidden],
    )
    # Polis's in-conv: who was counted at some time stays counted (a vote's time is its last change: safe side)
    counted = ever_counted(matrix.participants, matrix.statements,
                           ((str(p), str(s), at.timestamp()) for p, s, _, at in rows),
                           (s.created_at.timestamp() for s in statements))  # fmt: skip
    result = compute_opinion_groups(matrix, already_counted=counted)
    data = map_data(result, {str(s.id): s.text for s in statements}, len(rows))
    with write(
        session, SYSTEM, bookkeeping="the opinion map is derived from the votes and recomputed at will"
    ):
        row = session.get(OpinionMap, consultation_id)
        if row is None:
            row = OpinionMap(consultation_id=consultation_id, computed_at=utcnow(), data=data)
            session.add(row)
        else:
            row.computed_at, row.data = utcnow(), data
    return row


def stale_consultations(session: Session) -> list[int]:
    """Consultations whose votes changed since their map was computed (or that have votes and no map)."""
    last_vote = (
        select(Vote.consultation_id, func.max(Vote.at).label("at")).group_by(Vote.consultation_id).subquery()
    )
    stmt = (
        select(last_vote.c.consultation_id)
        .outerjoin(OpinionMap, OpinionMap.consultation_id == last_vote.c.consultation_id)
        .where((OpinionMap.computed_at.is_(None)) | (OpinionMap.computed_at < last_vote.c.at))
    )
    ids = [int(i) for i in session.scalars(stmt)]
    end_read(session)
    return ids


def _run(engine: Engine, consultation_id: int) -> None:
    with _lock:
        _pending.discard((id(engine), consultation_id))
    try:
        with session_factory(engine)() as session:
            recompute(session, consultation_id)
    except Exception:  # a timer thread must not die loudly; the next vote or the command tries again
        log.exception("recomputing the opinion map of consultation %s failed", consultation_id)


def schedule(engine: Engine, consultation_id: int, delay_s: float = RECOMPUTE_DELAY_S) -> None:
    """Recompute this consultation's map `delay_s` from now, unless a recompute is already waiting."""
    key = (id(engine), consultation_id)
    with _lock:
        if key in _pending:
            return
        _pending.add(key)
    timer = threading.Timer(delay_s, _run, args=(engine, consultation_id))
    timer.daemon = True
    timer.start()
