"""The statements of the vote path, written once as SQL text with typed parameters.

A vote is the slice's hot path: built per call, SQLAlchemy statements cost more than the database work (cache
keys, coercions, the ORM's bulk paths), so the few statements a vote runs are prepared here once.
"""

from __future__ import annotations

from sqlalchemy import TextClause, bindparam, text

from minyi.db import UTCDateTime


def _sql(sql: str, *times: str) -> TextClause:
    return text(sql).bindparams(*(bindparam(name, type_=UTCDateTime()) for name in times))


RATE = _sql("SELECT last_write_at, writes_in_window FROM consultation_participants WHERE id = :p").columns(
    last_write_at=UTCDateTime()
)
RATE_LOCKED = _sql(
    "SELECT last_write_at, writes_in_window FROM consultation_participants WHERE id = :p FOR UPDATE"
).columns(last_write_at=UTCDateTime())
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
HEAD = text("SELECT vote_seq, vote_head FROM consultations WHERE id = :c")
HEAD_LOCKED = text("SELECT vote_seq, vote_head FROM consultations WHERE id = :c FOR UPDATE")
APPEND = _sql(
    "INSERT INTO consultation_vote_log (consultation_id, seq, participant_id, statement_id, value, at, prev_hash, "
    "hash) VALUES (:c, :seq, :p, :s, :v, :now, :prev, :hash)",
    "now",
)
SET_HEAD = text("UPDATE consultations SET vote_seq = :seq, vote_head = :hash WHERE id = :c")
