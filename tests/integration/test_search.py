"""Word search over case text (CJK bigrams), on SQLite (FTS5) and PostgreSQL (tsvector)."""

from __future__ import annotations

from sqlalchemy import select, update
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


def test_the_public_index_holds_only_the_masked_text(session: Session) -> None:
    make_org(session)
    case = submit(session, title="张建国反映路灯", body="湖滨路的路灯不亮，电话138 1234 5678",
                  contact={"name": "张建国", "phone": "13812345678"})  # fmt: skip
    assert _find(session, "路灯不亮") == {"张建国反映路灯"}
    assert _find(session, "张建国") == set() and _find(session, "13812345678") == set()
    assert (case.public_title, case.public_body) == ("【姓名】反映路灯", "湖滨路的路灯不亮，电话【手机号】")
    session.execute(update(Case).values(public_title=None, public_body=None))  # as if loaded outside minyi
    assert reindex(session) == 1
    session.expire_all()
    assert case.public_title == "【姓名】反映路灯" and _find(session, "路灯不亮") == {"张建国反映路灯"}
    assert _find(session, "张建国") == set()
