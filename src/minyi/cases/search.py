"""Public word search over case text for Chinese: every text is indexed as overlapping character pairs (CJK bigrams).

SQLite keeps them in an FTS5 table, PostgreSQL in a `tsvector` with a GIN index; a query becomes a phrase of
its pairs, so "路灯不亮" finds exactly the texts that contain it, without scanning every case.

Only the masked public text is indexed (`public_text`, stored on the case as `public_title`/`public_body`), so
that searching for a phone number or a name cannot find the case whose page masks it. Staff search the full text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Integer, bindparam, column, text, update
from sqlalchemy.orm import Session

from minyi.cases.redaction import FIELDS, known_of, mask, text_revision
from minyi.db import per_database

TABLE = "case_search"
_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+")


def grams(value: str) -> list[str]:
    """Character pairs of each Chinese run (a lone character stays itself); words of letters and digits whole."""
    out: list[str] = []
    for run in _RUN.findall(unicodedata.normalize("NFKC", value).lower()):
        if run[0].isascii() or len(run) == 1:
            out.append(run)
        else:
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


def document(title: str, body: str) -> str:
    """What is indexed for a case: its title and text as space-separated pairs."""
    return " ".join(grams(title) + ["|"] + grams(body))


def public_text(title: str, body: str, contact: Mapping[str, str | None] | None) -> tuple[str, str]:
    """A case's title and body as the public reads them: masked, the submitter's own identities included."""
    known = known_of(contact)
    return mask(title, known) or "", mask(body, known) or ""


def index_cases(session: Session, rows: Iterable[tuple[int, str, str]]) -> None:
    """Add (id, public title, public body) rows to the search index, inside the caller's transaction."""
    params = [{"id": cid, "doc": document(title, body)} for cid, title, body in rows]
    if not params:
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text(
                f"INSERT INTO {TABLE} (case_id, doc) VALUES (:id, to_tsvector('simple', :doc)) "
                "ON CONFLICT (case_id) DO UPDATE SET doc = excluded.doc"
            ),  # fmt: skip
            params,
        )
    else:
        # a case's text never changes after intake, so each case is indexed once (reindex starts afresh)
        session.execute(text(f"INSERT INTO {TABLE} (rowid, doc) VALUES (:id, :doc)"), params)


def _phrase(session: Session, query: str) -> tuple[str, str] | None:
    """The index's condition for 'contains the query' and its phrase parameter, or None (no pairs)."""
    parts = [g for g in grams(query) if len(g) > 1 or g.isascii()]
    if not parts:
        return None
    if session.get_bind().dialect.name == "postgresql":
        return "doc @@ phraseto_tsquery('simple', :phrase)", " ".join(parts)
    return f"{TABLE} MATCH :phrase", '"' + " ".join(p.replace('"', "") for p in parts) + '"'


def _key(session: Session) -> str:
    return "case_id" if session.get_bind().dialect.name == "postgresql" else "rowid"


def matching(session: Session, query: str, id_column: Any) -> ColumnElement[bool] | None:
    """A condition 'the case contains the query' over the index, or None when the query has no pairs."""
    found = _phrase(session, query)
    if found is None:
        return None
    cond, phrase = found
    sub = text(f"SELECT {_key(session)} FROM {TABLE} WHERE {cond}").bindparams(phrase=phrase)
    return id_column.in_(sub.columns(column(_key(session), Integer)))


def index_matches(session: Session, query: str, limit: int) -> list[int] | None:
    """Up to `limit` ids of the cases containing the query, straight from the index (in no order), or None when
    the query has no pairs: the bounded first question of the public search."""
    found = _phrase(session, query)
    if found is None:
        return None
    cond, phrase = found
    sql = text(f"SELECT {_key(session)} FROM {TABLE} WHERE {cond} LIMIT :n")
    if session.get_bind().dialect.name != "postgresql":
        return list(session.scalars(sql, {"phrase": phrase, "n": limit}))
    # Under a LIMIT the planner reads a frequent word by scanning the table and matching every document (it
    # does not price unpacking each one): only the index may answer this question, so say so for it alone.
    session.execute(text("SET LOCAL enable_seqscan = off"))
    try:
        return list(session.scalars(sql, {"phrase": phrase, "n": limit}))
    finally:
        session.execute(text("SET LOCAL enable_seqscan TO DEFAULT"))


def phrase_of(session: Session, query: str) -> str | None:
    """The index's query parameter for the text (None: no pairs)."""
    found = _phrase(session, query)
    return None if found is None else found[1]


def probe_sql(session: Session, id_sql: str) -> str:
    """SQL true when the case `id_sql` contains the phrase `:phrase`: a probe of that one case by its key, which
    the planner cannot turn into a read of the word's whole list (a scalar subquery on PostgreSQL)."""
    if session.get_bind().dialect.name == "postgresql":
        return (
            f"(SELECT s.doc @@ phraseto_tsquery('simple', :phrase) FROM {TABLE} s WHERE s.case_id = {id_sql})"
        )
    return f"EXISTS (SELECT 1 FROM {TABLE} WHERE rowid = {id_sql} AND {TABLE} MATCH :phrase)"


@dataclass(frozen=True)
class Share:
    """The estimated share of indexed cases that contain a query: `at_most` when one of its pairs is rarer than
    every pair the statistics list (their minimum share is then an upper bound)."""

    value: float
    at_most: bool


STATS_TTL = 300.0  # seconds a process keeps the word statistics (ANALYZE refreshes them far less often)


def word_share(session: Session, query: str) -> Share | None:
    """What PostgreSQL's statistics say of the query's share of cases: its rarest pair's share (a phrase is
    in no more cases than its rarest pair), or None without statistics (SQLite, a table never analysed).
    ANALYZE stores the index column's most common pairs with the share of rows holding each; a pair missing
    from that list is rarer than the list's least common one."""
    parts = [g for g in grams(query) if len(g) > 1 or g.isascii()]
    if not parts or session.get_bind().dialect.name != "postgresql":
        return None
    shares, floor = _word_stats(session)
    if not shares:
        return None
    known = [shares[p] for p in parts if p in shares]
    if len(known) < len(parts):
        return Share(floor, at_most=True)
    return Share(min(known), at_most=False)


@per_database(STATS_TTL)
def _word_stats(session: Session) -> tuple[dict[str, float], float]:
    """The listed pairs' shares and the least of them, from pg_stats (cached per database: `forget()`)."""
    row = session.execute(
        text(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
            f"WHERE tablename = '{TABLE}' AND attname = 'doc' AND schemaname = ANY(current_schemas(false))"
        )  # fmt: skip
    ).first()
    elems, freqs = (row[0] or [], row[1] or []) if row else ([], [])
    shares = dict(zip(elems, freqs[: len(elems)], strict=True))  # the list's min and max follow the shares
    return shares, min(shares.values(), default=0.0)


def reindex(session: Session, batch: int = 2000, *, with_revision: bool = True) -> int:
    """Mask every case's text afresh (after the detector improves, or cases loaded outside minyi's write path)
    and rebuild the whole index from it; the texts are marked current (`with_revision`: off only for the
    migration that ran this before the revision column existed)."""
    from minyi.cases.models import Case

    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"DELETE FROM {TABLE}"))
    else:  # a contentless FTS5 table is emptied with its own command
        session.execute(text(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('delete-all')"))
    done, last = 0, 0
    rev = {"public_text_rev": text_revision()} if with_revision else {}
    while True:
        masked = masked_texts(session, "c.id > :last ORDER BY c.id LIMIT :n", {"last": last, "n": batch})
        if not masked:
            return done
        session.execute(
            update(Case).execution_options(synchronize_session=False),
            [{"id": i, "public_title": t, "public_body": b, **rev} for i, t, b in masked],
        )
        index_cases(session, masked)
        done += len(masked)
        last = masked[-1][0]


def masked_texts(
    session: Session, where: str, params: Mapping[str, Any], *, lists: tuple[str, ...] = ()
) -> list[tuple[int, str, str]]:
    """(id, public title, public body) of the cases `where` picks (SQL over `cases c`), masked now. `where`
    must be a fixed string with bound parameters (`lists` names those bound to a list: `c.id IN :ids`), so that
    the statement is compiled once and not again for every call (a new text is a new compiled-cache entry)."""
    people = ", ".join(f"s.{f}" for f in FIELDS)
    stmt = text(
        f"SELECT c.id, c.title, c.body, {people} FROM cases c LEFT JOIN submitters s ON s.id = c.submitter_id "
        f"WHERE {where}"
    )  # fmt: skip
    if lists:
        stmt = stmt.bindparams(*(bindparam(name, expanding=True) for name in lists))
    rows = session.execute(stmt, params).all()
    return [(r[0], *public_text(r[1], r[2], dict(zip(FIELDS, r[3:], strict=True)))) for r in rows]
