"""The public word search at millions of cases: ask the word index first, with a bound, then choose the shape.

A word in few cases: the index gives all its matches (fewer than the bound T) and those few are filtered and
sorted. A word in many cases (T or more): the public cases are walked newest first, a batch at a time, and each
batch is probed against the index by key; the page fills after about page·N/T cases. With T = √(21·N) both
shapes touch about T index entries or cases, whatever the word, instead of every match or every case
(docs/benchmarks.md, "1,000,000 cases on PostgreSQL"). Both shapes give exactly the rows of the plain query.
"""

from __future__ import annotations

from collections.abc import Callable
from math import isqrt
from typing import Any

from sqlalchemy import Integer, Select, any_, bindparam, func, or_, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from minyi.cases.models import Case
from minyi.cases.public import stored_public_text
from minyi.cases.search import index_matches, matches_among

FLOOR = 2000  # below this many matches a sort is always cheap: small databases never walk
WALK_BUDGET = 50  # the walk gives up after this many times T cases (a filter rarer than the word)

Where = Callable[[Select[Any]], Select[Any]]


def bound(session: Session) -> int:
    """T = √(21·N), N the highest case id (an index endpoint: no count over the table)."""
    n = session.scalar(select(func.max(Case.id))) or 0
    return max(FLOOR, isqrt(21 * n))


def ids_condition(session: Session, ids: list[int]):  # type: ignore[no-untyped-def]
    """`cases.id` among these ids: one array parameter on PostgreSQL, an IN list elsewhere."""
    if session.get_bind().dialect.name == "postgresql":
        return Case.id == any_(bindparam("match_ids", ids, type_=ARRAY(Integer)))
    return Case.id.in_(ids)


def page_of_word(
    session: Session, q: str, where: Where, offset: int, limit: int, t: int | None = None
) -> list[Case] | None:
    """`limit` public cases (`where` adds the filters) containing `q`, newest first, after `offset` of them;
    None when `q` has no character pairs (the caller scans the text instead)."""
    t = t or bound(session)
    found = index_matches(session, q, t)
    if found is None:
        return None
    if len(found) < t:  # every match is in hand: filter and sort them
        ids = list(session.scalars(_order(where(select(Case.id).where(ids_condition(session, found))))
                                   .offset(offset).limit(limit)))  # fmt: skip
    else:
        walked = _walk(
            session, q, where, offset + limit, WALK_BUDGET * t, batch=max(64, 2 * (offset + limit))
        )
        ids = walked[offset:] if walked is not None else _plain(session, q, where, offset, limit)
    return _load(session, ids)


def _order(stmt: Select[Any]) -> Select[Any]:
    return stmt.order_by(Case.registered_at.desc(), Case.id.desc())


def _walk(session: Session, q: str, where: Where, need: int, budget: int, batch: int) -> list[int] | None:
    """The first `need` matching ids newest first, walking the filtered public cases in growing batches and
    probing each batch by key; None when the walk passes `budget` cases first."""
    hits: list[int] = []
    walked, last = 0, None
    while walked < budget:
        stmt: Select[Any] = where(select(Case.id, Case.registered_at))  # type: ignore[arg-type]
        if last is not None:
            at, key = last
            stmt = stmt.where(Case.registered_at <= at, or_(Case.registered_at < at, Case.id < key))
        rows = session.execute(_order(stmt).limit(batch)).all()
        if not rows:
            return hits
        matched = matches_among(session, q, [r[0] for r in rows])
        hits.extend(r[0] for r in rows if r[0] in matched)
        if len(hits) >= need:
            return hits[:need]
        walked, last, batch = walked + len(rows), (rows[-1][1], rows[-1][0]), min(batch * 2, 20_000)
    return None


def _plain(session: Session, q: str, where: Where, offset: int, limit: int) -> list[int]:
    """The single query of old: every match of the word, filtered and sorted (the walk's fallback)."""
    from minyi.cases.search import matching

    found = matching(session, q, Case.id)
    assert found is not None  # the index answered for this word a moment ago
    stmt = _order(where(select(Case.id)).where(found))
    return list(session.scalars(stmt.offset(offset).limit(limit)))


def _load(session: Session, ids: list[int]) -> list[Case]:
    """The cases of these ids, in this order, with their stored public text."""
    if not ids:
        return []
    got = {
        c.id: c for c in session.scalars(select(Case).options(*stored_public_text()).where(Case.id.in_(ids)))
    }
    return [got[i] for i in ids if i in got]
