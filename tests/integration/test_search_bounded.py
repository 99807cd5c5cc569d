"""The public word search asks the index first with a bound: both of its shapes (sort the few matches, or walk
the public cases newest first) give exactly the rows of the plain query, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from minyi.cases.models import Case
from minyi.cases.public import public_conditions
from minyi.cases.search import matching
from minyi.portal import word_search
from minyi.portal.queries import PublicSearch, search_public_cases
from tests.support.factories import make_org, submit

BODIES = ["湖滨路的路灯不亮已经两周", "路灯坏了，晚上路灯闪烁", "夜间施工噪音扰民", "小区供水中断三天"]


def _fixture(session: Session) -> None:
    """30 cases: 路灯 in half, the phrase 路灯不亮 in a quarter, 供水 in a quarter; pairs share a registration
    time (the walk's key must break ties by id); every fifth private; two topics."""
    make_org(session)
    start = datetime(2026, 3, 2, 1, tzinfo=UTC)
    ids = [submit(session, title=f"第{i}件", body=BODIES[i % 4]).id for i in range(30)]
    session.execute(update(Case), [
        {"id": cid, "status": "accepted", "visibility": "private" if i % 5 == 4 else "public",
         "topic_code": "01" if i % 3 else "02", "registered_at": start + timedelta(hours=i // 2)}
        for i, cid in enumerate(ids)])  # fmt: skip
    session.flush()


def _plain(session: Session, f: PublicSearch) -> list[int]:
    """The single query the search was before the bound: every match, filtered, sorted, one page."""
    stmt = select(Case.id).where(*public_conditions(), matching(session, f.q, Case.id))  # type: ignore[arg-type]
    if f.topic:
        stmt = stmt.where(or_(Case.topic_code == f.topic, Case.topic_code.like(f.topic + ".%")))
    stmt = stmt.order_by(Case.registered_at.desc(), Case.id.desc())
    return list(session.scalars(stmt.offset((f.page - 1) * f.per_page).limit(f.per_page + 1)))


def test_both_shapes_give_the_plain_querys_pages(session: Session) -> None:
    _fixture(session)
    for word in ("路灯", "路灯不亮", "供水", "噪音扰民", "电梯"):
        for topic in ("", "02"):
            for page in (1, 2, 3):
                f = PublicSearch(q=word, topic=topic, page=page, per_page=4)
                want = _plain(session, f)
                for t in (1, 2, 3, 6, 1000):  # 1-6: the word counts as frequent and is walked; 1000: sorted
                    rows, more = search_public_cases(session, f, bound=t)
                    assert [c.id for c in rows] == want[:4] and more == (len(want) > 4), (
                        word,
                        topic,
                        page,
                        t,
                    )


def test_the_walk_stops_at_the_page_and_gives_up_past_its_budget(session: Session) -> None:
    _fixture(session)
    assert word_search.bound(session) == word_search.FLOOR  # 30 cases: always the sorted shape
    where = lambda s: s.where(*public_conditions())  # noqa: E731
    assert (
        word_search._walk(session, "路灯", where, need=3, budget=100)
        == _plain(session, PublicSearch(q="路灯"))[:3]
    )
    assert word_search._walk(session, "供水", lambda s: s.where(Case.id < 0), 1, 100) is None
    assert (
        word_search._walk(session, "供水", where, need=5, budget=4) is None
    )  # over budget: the caller sorts
