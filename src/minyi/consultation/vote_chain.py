"""The record of votes: each consultation's own keyed hash chain, sealed into the global audit chain.

A vote is the one write that comes in thousands a minute, so it does not take a turn at the global chain's head
(one lock for every write of the system). It appends to its consultation's chain instead, with the same HMAC
links as the case events; the sweep and the close put the chain's head (seq, hash) on the global chain. An edited,
inserted or deleted vote breaks the consultation's chain; one cut off after a seal no longer matches the seal.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from minyi.accounts.actor import SYSTEM
from minyi.audit.models import AuditEntry
from minyi.audit.verifiers import record_verifier
from minyi.cases.events import audit_key
from minyi.consultation import vote_sql as sql
from minyi.consultation.models import Consultation, VoteRecord
from minyi.db import session_factory
from minyi.hashchain import ChainProblem, link_hash, verify_chain
from minyi.uow import WROTE, current_tx, end_read, mark_audited, write

SEALED = "consultation_votes_sealed"


def vote_payload(
    consultation_id: int, seq: int, participant_id: int, statement_id: int, value: int, at: datetime
) -> dict[str, Any]:
    """Exactly what a vote's link covers."""
    return {"consultation": consultation_id, "seq": seq, "participant": participant_id, "statement": statement_id,
            "vote": value, "at": at.astimezone(UTC).isoformat(timespec="microseconds")}  # fmt: skip


def link_vote(
    session: Session,
    consultation_id: int,
    head: tuple[int, str],
    participant_id: int,
    statement_id: int,
    value: int,
    at: datetime,
) -> int:
    """Append one vote to its consultation's chain inside the caller's unit of work (it is the write's record).

    `head` is the chain's (seq, hash) as the caller read it under the same transaction: on PostgreSQL with the
    consultation's row locked, so votes on one consultation take turns at its head, never at the global chain's.
    """
    seq, prev = head[0] + 1, head[1]
    digest = link_hash(
        audit_key(), prev, vote_payload(consultation_id, seq, participant_id, statement_id, value, at)
    )
    conn = session.connection()
    conn.execute(sql.APPEND, {"c": consultation_id, "seq": seq, "p": participant_id, "s": statement_id, "v": value,
                              "now": at, "prev": prev, "hash": digest})  # fmt: skip
    conn.execute(sql.SET_HEAD, {"seq": seq, "hash": digest, "c": consultation_id})
    mark_audited(session)
    session.info[WROTE] = True
    return seq


def seal(session: Session, c: Consultation) -> bool:
    """Put the chain's head on the global audit chain (inside the caller's unit of work) when votes came since."""
    if c.vote_seq <= c.vote_sealed_seq:
        return False
    tx = current_tx(session)
    assert tx is not None, "called outside its unit of work"
    tx.record(SEALED, "consultation", c.id, {"seq": c.vote_seq, "head": c.vote_head})
    c.vote_sealed_seq = c.vote_seq
    return True


def seal_all(engine: Engine | None = None) -> int:
    """Seal every consultation with votes since its last seal (the sweep runs this); how many were sealed."""
    with session_factory(engine)() as session:
        due = list(
            session.scalars(
                select(Consultation.id).where(Consultation.vote_seq > Consultation.vote_sealed_seq)
            )
        )
        end_read(session)
        sealed = 0
        for consultation_id in due:
            with write(session, SYSTEM):
                c = session.get(Consultation, consultation_id, with_for_update=True, populate_existing=True)
                sealed += bool(c is not None and seal(session, c))
    return sealed


def verify_votes(session: Session, consultation_id: int) -> list[ChainProblem]:
    """Where the consultation's vote chain breaks, checked against its head and against its last seal."""
    c = session.get(Consultation, consultation_id)
    if c is None:
        return []
    sealed_hashes = select(VoteRecord.seq, VoteRecord.hash).where(
        VoteRecord.consultation_id == consultation_id
    )
    log = {int(seq): str(digest) for seq, digest in session.execute(sealed_hashes)}
    events = (
        (seq, prev, digest, vote_payload(consultation_id, seq, r_p, r_s, r_v, r_at))
        for seq, prev, digest, r_p, r_s, r_v, r_at in session.execute(
            select(VoteRecord.seq, VoteRecord.prev_hash, VoteRecord.hash, VoteRecord.participant_id,
                   VoteRecord.statement_id, VoteRecord.value, VoteRecord.at)
            .where(VoteRecord.consultation_id == consultation_id).order_by(VoteRecord.seq)
        )
    )  # fmt: skip
    problems = verify_chain(audit_key(), consultation_id, events, c.vote_seq, c.vote_head)
    sealed = session.execute(
        select(AuditEntry.data).where(AuditEntry.action == SEALED, AuditEntry.object_id == str(consultation_id))
        .order_by(AuditEntry.seq.desc()).limit(1)
    ).scalar()  # fmt: skip
    if sealed and log.get(int(sealed["seq"])) != sealed["head"]:
        problems.append(ChainProblem(consultation_id, int(sealed["seq"]), "votes do not match their seal"))
    return problems


@record_verifier("consultation votes")
def verify_all_votes(session: Session) -> Iterator[str]:
    """Every consultation's vote chain, for `minyi audit verify` and `minyi opinions verify`: one line a break."""
    for consultation_id in list(session.scalars(select(Consultation.id).order_by(Consultation.id))):
        for p in verify_votes(session, consultation_id):
            yield f"consultation {p.case_id} vote {p.position}: {p.problem}"
