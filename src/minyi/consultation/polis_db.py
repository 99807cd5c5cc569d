"""A Polis open-data export in and out of the database: `minyi opinions import DIR` and `export ID DIR`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.consultation.models import Consultation, Participant, Statement, Vote
from minyi.consultation.polis_io import HIDDEN, PolisComment, PolisExport, PolisVote
from minyi.consultation.rules import STATEMENT_MAX, State
from minyi.db import utcnow
from minyi.errors import NotFound
from minyi.uow import unit_of_work


def _ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)


@unit_of_work
def do_import_polis(session: Session, actor: Actor, export: PolisExport, *, title: str) -> Consultation:
    """The conversation as a closed consultation: its statements, participants and last votes."""
    times = [v.timestamp_ms for v in export.votes] or [_ms(utcnow())]
    opens = datetime.fromtimestamp(min(times) / 1000, UTC)
    closes = datetime.fromtimestamp(max(times) / 1000, UTC) + timedelta(seconds=1)
    c = Consultation(title=title[:200], background="", kind="major", opens_at=opens, closes_at=closes,
                     state=State.closed, closed_at=closes, source="polis", committee="Polis")  # fmt: skip
    session.add(c)
    session.flush()
    people = {
        pid: Participant(consultation_id=c.id, pseudonym=f"polis-{c.id}-{pid}") for pid in export.participants
    }
    session.add_all(people.values())
    statements = {
        pc.id: Statement(
            consultation_id=c.id,
            text=pc.body[:STATEMENT_MAX] or "—",
            external_id=pc.id,
            hidden=pc.moderated == HIDDEN,
            created_at=pc.created,
        )  # fmt: skip
        for pc in export.comments
    }
    session.add_all(statements.values())
    session.flush()
    last: dict[tuple[str, str], PolisVote] = {}
    for v in export.votes:
        if v.statement_id in statements and v.participant_id in people:
            last[(v.participant_id, v.statement_id)] = v
    seen: dict[str, int] = {}
    rows = []
    for (pid, sid), v in last.items():
        seen[sid] = seen.get(sid, 0) + 1
        at = datetime.fromtimestamp(v.timestamp_ms / 1000, UTC)
        rows.append({"consultation_id": c.id, "statement_id": statements[sid].id, "participant_id": people[pid].id,
                     "value": v.vote, "at": at})  # fmt: skip
    for start in range(0, len(rows), 5000):
        session.execute(insert(Vote), rows[start : start + 5000])
    for sid, n in seen.items():
        statements[sid].seen = n
    session.flush()
    from minyi.uow import current_tx

    tx = current_tx(session)
    assert tx is not None
    tx.record("consultation_import", "consultation", c.id,
              {"source": "polis", "statements": len(statements), "participants": len(people), "votes": len(rows)})  # fmt: skip
    return c


def read_consultation_export(session: Session, consultation_id: int) -> PolisExport:
    """A consultation's statements and votes in Polis's shape (participants numbered in the order they joined)."""
    c = session.get(Consultation, consultation_id)
    if c is None:
        raise NotFound("征求意见", "consultation")
    people = session.scalars(
        select(Participant.id).where(Participant.consultation_id == c.id).order_by(Participant.id)
    ).all()
    pid = {p: str(i) for i, p in enumerate(people)}
    statements = session.scalars(
        select(Statement).where(Statement.consultation_id == c.id).order_by(Statement.id)
    ).all()
    sid = {s.id: s.external_id or str(s.id) for s in statements}
    comments = tuple(
        PolisComment(
            id=sid[s.id],
            author_id=pid.get(s.participant_id, "") if s.participant_id else "",
            body=s.text,
            moderated=HIDDEN if s.hidden else 1,
            timestamp_ms=_ms(s.created_at),
        )  # fmt: skip
        for s in statements
    )
    votes = tuple(
        PolisVote(statement_id=sid[s], participant_id=pid[p], vote=int(v), timestamp_ms=_ms(at))
        for s, p, v, at in session.execute(
            select(Vote.statement_id, Vote.participant_id, Vote.value, Vote.at)
            .where(Vote.consultation_id == c.id).order_by(Vote.at, Vote.id)
        )
    )  # fmt: skip
    return PolisExport(comments=comments, votes=votes, participants=tuple(pid.values()))
