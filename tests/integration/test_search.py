"""Word search over case text (CJK bigrams), on SQLite (FTS5) and PostgreSQL (tsvector)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.accounts.actor import SYSTEM
from minyi.cases.models import Case
from minyi.cases.search import grams, matching, reindex
from minyi.uow import write
from tests.support.factories import make_org, submit


def _find(session: Session, q: str) -> set[str]:
    cond = matching(session, q, Case.id)
    assert cond is not None
    return set(session.scalars(select(Case.title).where(cond)))


def test_pairs_of_characters_and_whole_latin_words() -> None:
    assert grams("路灯不亮 LED灯") == ["路灯", "灯不", "不亮", "led", "灯"]


def test_search_finds_the_phrase_and_only_the_phrase(session: Session) -> None:
    make_org(session)
    submit(session, title="路灯", body="湖滨路的路灯不亮已经两周了")
    submit(session, title="噪音", body="夜间施工噪音扰民，路上灯光也不亮")
    submit(session, title="Wi-Fi", body="图书馆的WiFi信号很差")
    assert _find(session, "路灯不亮") == {"路灯"}
    assert _find(session, "不亮") == {"路灯", "噪音"}
    assert _find(session, "灯路") == set()
    assert _find(session, "wifi") == {"Wi-Fi"}
    assert matching(session, "灯", Case.id) is None  # a lone character: the caller falls back to a scan
    with write(session, SYSTEM) as tx:
        assert reindex(session) == 3
        tx.record("search.reindex", "search_index", None, {})
    assert _find(session, "路灯不亮") == {"路灯"}
