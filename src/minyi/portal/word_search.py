"""The public word search at millions of cases: know how common the word is, then choose the shape.

A word in a share f of the cases fills a page of `need` within about need/f of the newest public cases, and the
index holds f·N matches. PostgreSQL's statistics give f (`cases.search.word_share`): when the walk is the cheaper,
one statement walks the public cases newest first and probes each by key in the word index, with a budget of a
few times need/f; otherwise, or when the walk runs out (a word common once, not lately, or a filter rarer than
the word), the index is asked for at most T matches: fewer than T come back, and those few are filtered and
sorted; T or more, and the walk goes on, up to 50·T cases, before the plain query. Without statistics (SQLite, a
table never analysed) the first walk tries T/8 cases. With T = √(21·N) each shape touches about T index entries
or cases, whatever the word, instead of every match or every case (docs/benchmarks.md, "1,000,000 cases on
PostgreSQL"). Every shape gives exactly the rows of the plain query.
"""

from __future__ import annotations

from collections.abc import Callable
from math import ceil, isqrt
from typing import Any

from sqlalchemy import Integer, Select, any_, bindparam, func, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from minyi.cases.models import Case
from minyi.cases.public import stored_public_text
from minyi.cases.search import Share, index_matches, phrase_of, probe_sql, word_share

FLOOR = 2000  # below this many matches a sort is always cheap: a database of at most T cases never walks
WALK_BUDGET = 50  # the walk gives up after this many times T cases (a filter rarer than the word)
WALK_COST = 4.0  # a case probed costs about 4 matches fetched and sorted (20 µs against 5–6 µs, measured)
WALK_SLACK = 3  # the first walk may probe this many times the cases it expects to need

Where = Callable[[Select[Any]], Select[Any]]


def sizes(session: Session) -> tuple[int, int]:
    """N, the highest case id (an index endpoint: no count over the table), and T = √(21·N), at least FLOOR."""
    n = session.scalar(select(func.max(Case.id))) or 0
    return n, max(FLOOR, isqrt(21 * n))


def bound(session: Session) -> int:
    """T for this database."""
    return sizes(session)[1]


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
    if phrase_of(session, q) is None:
        return None
    n, bound_t = sizes(session)
    if t is None:
        if n <= bound_t:  # a small database: every word has fewer than T matches, and one query sorts them
            return _plain(session, q, where, offset, limit)
        t = bound_t
    need, share = offset + limit, word_share(session, q)
    budget = first_walk(need, n, t, share)
    ids = _walk(session, q, where, need, budget) if budget else None  # the page among the newest cases
    if ids is None:
        cap = t if budget else max(t, expected_matches(n, share))  # after a walk ran out: T, as before
        found = index_matches(session, q, cap) or []
        if len(found) < cap:  # every match is in hand: filter and sort them
            stmt = where(select(Case).options(*stored_public_text()).where(ids_condition(session, found)))
            return list(session.scalars(_order(stmt).offset(offset).limit(limit)))
        ids = _walk(session, q, where, need, WALK_BUDGET * t)
    return _load(session, ids[offset:]) if ids is not None else _plain(session, q, where, offset, limit)


def first_walk(need: int, n: int, t: int, share: Share | None) -> int | None:
    """How many public cases the first walk may probe, or None: ask the index first.

    Without statistics: T/8. A word in share f of N cases: the walk expects need/f probes, the index f·N
    matches; the walk goes first when it is the cheaper (WALK_COST per probe), with WALK_SLACK times what it
    expects. A word rarer than every listed pair goes to the index first (its matches are fewer than the list's
    least share of N, under T once the statistics target is high enough: migration 0039)."""
    if share is None:
        return max(need, t // 8)
    if share.at_most or share.value <= 0:
        return None
    expect = need / share.value
    if WALK_COST * expect > share.value * n:
        return None
    return max(need, min(ceil(WALK_SLACK * expect), WALK_BUDGET * t))


def expected_matches(n: int, share: Share | None) -> int:
    """How many matches to ask the index for when the statistics sent the word there: all it should have (twice
    the estimate; the least listed share when the word is rarer than every listed pair), so that a word that
    tipped the choice just over T is not read again by the walk. 0 without statistics (T is asked)."""
    if share is None:
        return 0
    return ceil(share.value * n * (1 if share.at_most else 2))


def _order(stmt: Select[Any]) -> Select[Any]:
    return stmt.order_by(Case.registered_at.desc(), Case.id.desc())


def _walk(session: Session, q: str, where: Where, need: int, budget: int) -> list[int] | None:
    """The first `need` matching ids, newest first: one statement that walks the filtered public cases (at most
    `budget` of them) and probes each by key; None when fewer came back (a filter rarer than the word)."""
    walk = _order(where(select(Case.id, Case.registered_at))).limit(budget).subquery("walk")  # type: ignore[arg-type]
    probe = text(probe_sql(session, "walk.id")).bindparams(phrase=phrase_of(session, q))
    stmt = select(walk.c.id).where(probe).order_by(walk.c.registered_at.desc(), walk.c.id.desc()).limit(need)
    ids = list(session.scalars(stmt))
    return ids if len(ids) == need else None


def _plain(session: Session, q: str, where: Where, offset: int, limit: int) -> list[Case]:
    """The single query of old: every match of the word, filtered and sorted (small databases, the fallback)."""
    from minyi.cases.search import matching

    found = matching(session, q, Case.id)
    assert found is not None  # the caller checked that the word has pairs
    stmt = _order(where(select(Case).options(*stored_public_text())).where(found))
    return list(session.scalars(stmt.offset(offset).limit(limit)))


def _load(session: Session, ids: list[int]) -> list[Case]:
    """The cases of these ids, in this order, with their stored public text."""
    if not ids:
        return []
    got = {
        c.id: c for c in session.scalars(select(Case).options(*stored_public_text()).where(Case.id.in_(ids)))
    }
    return [got[i] for i in ids if i in got]
