"""The statements of the vote path, written once as SQL text with typed parameters.

A vote is the slice's hot path: built per call, SQLAlchemy statements cost more than the database work (cache
keys, coercions, the ORM's bulk paths), so the few statements a vote runs are prepared here once.
"""

from __future__ import annotations

from sqlalchemy import TextClause, bindparam, text

from minyi.db import UTCDateTime


def _sql(sql: str, *times: str) -> TextClause:
    return text(sql).bindparams(*(bindparam(name, type_=UTCDateTime()) for name in times))


GATE = _sql("SELECT state, opens_at, closes_at, department_id FROM consultations WHERE id = :c").columns(
    opens_at=UTCDateTime(), closes_at=UTCDateTime()
)
# everything a vote depends on, in one read: the consultation (its state, dates and chain head), the participant
# (by the pseudonym in their signed id, with their rate counter), the statement and an earlier vote on it
_VOTE_STATE = (
    "SELECT c.state, c.opens_at, c.closes_at, c.department_id, c.vote_seq, c.vote_head, p.id AS participant_id, "
    "p.last_write_at, p.writes_in_window, s.consultation_id AS statement_consultation_id, s.hidden, "
    "v.value AS earlier FROM consultations c "
    "JOIN consultation_participants p ON p.pseudonym = :ps AND p.consultation_id = c.id "
    "LEFT JOIN consultation_statements s ON s.id = :s "
    "LEFT JOIN consultation_votes v ON v.statement_id = :s AND v.participant_id = p.id "
    "WHERE c.id = :c"
)
_TIMES = {"opens_at": UTCDateTime(), "closes_at": UTCDateTime(), "last_write_at": UTCDateTime()}
VOTE_STATE = text(_VOTE_STATE).columns(**_TIMES)
# on PostgreSQL votes on one consultation take turns at its head, and one participant's writes at their counter
VOTE_STATE_LOCKED = text(_VOTE_STATE + " FOR UPDATE OF c, p").columns(**_TIMES)
SET_RATE = _sql(
    "UPDATE consultation_participants SET last_write_at = :start, writes_in_window = :n WHERE id = :p",
    "start",
)
CHANGE_VOTE = _sql(
    "UPDATE consultation_votes SET value = :v, at = :now WHERE statement_id = :s AND participant_id = :p",
    "now",
)
NEW_VOTE = _sql(
    "INSERT INTO consultation_votes (consultation_id, statement_id, participant_id, value, at) "
    "VALUES (:c, :s, :p, :v, :now)",
    "now",
)
SEEN = text("UPDATE consultation_statements SET seen = seen + 1 WHERE id = :s")
APPEND = _sql(
    "INSERT INTO consultation_vote_log (consultation_id, seq, participant_id, statement_id, value, at, prev_hash, "
    "hash) VALUES (:c, :seq, :p, :s, :v, :now, :prev, :hash)",
    "now",
)
SET_HEAD = text("UPDATE consultations SET vote_seq = :seq, vote_head = :hash WHERE id = :c")
