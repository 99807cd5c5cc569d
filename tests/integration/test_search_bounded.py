"""The public word search asks the index first with a bound: both of its shapes (sort the few matches, or walk
the public cases newest first) give exactly the rows of the plain query, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import or_, select, text, update
from sqlalchemy.orm import Session

from minyi.cases.models import Case
from minyi.cases.public import public_conditions
from minyi.cases.search import Share, matching, word_share
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


def _spy(monkeypatch: pytest.MonkeyPatch, name: str, calls: list[str]) -> None:
    real = getattr(word_search, name)

    def spied(*args: Any, **kwargs: Any) -> Any:
        calls.append(name)
        return real(*args, **kwargs)

    monkeypatch.setattr(word_search, name, spied)


def test_the_words_share_chooses_the_first_shape_and_keeps_the_plain_querys_pages(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fixture(session)
    calls: list[str] = []
    _spy(monkeypatch, "_walk", calls)
    _spy(monkeypatch, "index_matches", calls)
    n = word_search.sizes(session)[0]
    seen: set[str] = set()
    for share in (Share(0.9, False), Share(0.05, False), Share(0.3, True), None):
        monkeypatch.setattr(word_search, "word_share", lambda s, q, share=share: share)
        for word in ("路灯", "路灯不亮", "供水", "电梯"):
            for topic, page in (("", 1), ("", 3), ("02", 1)):
                f = PublicSearch(q=word, topic=topic, page=page, per_page=4)
                want = _plain(session, f)
                for t in (3, 1000):
                    calls.clear()
                    rows, more = search_public_cases(session, f, bound=t)
                    assert [c.id for c in rows] == want[:4] and more == (len(want) > 4), (
                        share,
                        word,
                        page,
                        t,
                    )
                    walk_first = word_search.first_walk(page * 4 + 1, n, t, share) is not None
                    assert calls[0] == ("_walk" if walk_first else "index_matches"), (
                        share,
                        word,
                        page,
                        calls,
                    )
                    seen.add(f"{share and share.value} {calls[0]}")
    # a common word walks first (unless the page is deep in a tiny table), a rare one or one rarer than every
    # listed pair asks the index first, no statistics: the T/8 walk
    assert seen == {"0.9 _walk", "0.9 index_matches", "0.05 index_matches", "0.3 index_matches", "None _walk"}


def test_the_first_walk_is_sized_by_the_words_share() -> None:
    n, t = 1_000_000, 4583
    assert word_search.first_walk(21, n, t, None) == t // 8  # no statistics: the old first walk
    assert word_search.first_walk(21, n, t, Share(0.10, False)) == 630  # 3 × 21/0.1
    assert word_search.first_walk(21, n, t, Share(0.02, False)) == 3150  # 物业 at 1M: walk (2·1,050 < 20,000)
    assert word_search.first_walk(21, n, t, Share(0.004, False)) is None  # 供水: 2·5,250 > 4,000 matches
    assert (
        word_search.first_walk(21, 10 * n, 14491, Share(0.004, False)) == 15750
    )  # at 10M the walk is cheaper
    assert word_search.first_walk(21, n, t, Share(0.009, True)) is None  # rarer than every listed pair
    assert word_search.first_walk(21, n, t, Share(1e-7, False)) is None


def test_analyze_gives_each_pairs_share_and_a_phrase_its_rarest_pair(session: Session) -> None:
    if session.get_bind().dialect.name != "postgresql":
        assert word_share(session, "路灯") is None  # SQLite: no statistics, the old shape
        return
    _fixture(session)
    stats_target = (
        "SELECT attstattarget FROM pg_attribute WHERE attrelid = 'case_search'::regclass AND attname = 'doc'"
    )
    assert session.scalar(text(stats_target)) == 1000  # migration 0039
    session.execute(text("ANALYZE case_search"))  # this test's rows are in the sample (same transaction)
    shares = {w: word_share(session, w) for w in ("路灯", "供水", "路灯不亮", "电梯坏了")}
    assert shares["路灯"] == Share(pytest.approx(16 / 30), False)  # type: ignore[arg-type]
    assert shares["供水"] == Share(pytest.approx(7 / 30), False)  # type: ignore[arg-type]
    assert shares["路灯不亮"] == Share(pytest.approx(8 / 30), False)  # type: ignore[arg-type]  # 灯不, 不亮
    absent = shares["电梯坏了"]
    assert absent is not None and absent.at_most and 0 < absent.value <= 7 / 30
    assert word_share(session, "路") is None  # no pair


def test_a_word_sent_to_the_index_is_asked_for_all_its_expected_matches() -> None:
    assert word_search.expected_matches(1_000_000, None) == 0  # no statistics: T
    assert word_search.expected_matches(1_000_000, Share(0.004, False)) == 8000  # twice the estimate
    assert word_search.expected_matches(10_000_000, Share(0.0019, True)) == 19000  # the least listed share
