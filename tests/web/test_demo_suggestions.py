"""The demo city holds a congress session and a CPPCC session with items in every state."""

from __future__ import annotations

from sqlalchemy import select

from minyi.suggestions.models import Suggestion
from minyi.suggestions.rules import SuggestionKind, SuggestionStatus
from tests.support.tamper import arrange
from tests.web.pages_support import *  # noqa: F403
from tests.web.pages_support import sign_in


def test_every_state_of_both_kinds_and_the_pages_show_them(client, db) -> None:  # type: ignore[no-untyped-def]
    rows = {(k, s) for k, s in db.execute(select(Suggestion.kind, Suggestion.status))}
    arrange(db)
    for kind in SuggestionKind:
        assert {s.value for s in SuggestionStatus} <= {s for k, s in rows if k == kind}, kind
    assert sign_in(client, "intake").status_code == 303
    page = client.get("/staff/suggestions").text
    assert "第0001号" in page and "关于优化人民路" in page
    assert "督办通知" in page  # the item assigned 100 days ago is past its three months
    assert "政协明川市第十五届委员会第三次会议" in client.get("/suggestions/stats").text
    assert "关于加快老旧小区加装电梯" in client.get("/suggestions").text


def test_the_demo_media_feed_left_candidates_waiting(client, db) -> None:  # type: ignore[no-untyped-def]
    from minyi.media.models import MediaCandidate

    titles = set(db.scalars(select(MediaCandidate.title).where(MediaCandidate.status == "pending")))
    arrange(db)
    assert "南桥中学门口早高峰拥堵" in titles and "明川市秋季运动会开幕" not in titles
    assert sign_in(client, "intake").status_code == 303
    assert "梧桐里小区路灯" in client.get("/staff/media").text


def test_the_demo_organisations_members_reach_their_own_page(client) -> None:  # type: ignore[no-untyped-def]
    for username, name in [("union-member", "明川市总工会"), ("donghu-committee", "东湖社区居民委员会")]:
        client.cookies.clear()
        r = sign_in(client, username)
        assert r.status_code == 303 and r.headers["location"] == "/org"
        page = client.get("/org").text
        assert name in page and 'name="consent_person"' in page
    assert 'name="households"' in page  # the committee registers group demands
