"""The board's hot-issue panel: the board never waits for the ranking; htmx loads it, a link serves no-JS users."""

from __future__ import annotations

import pytest

from minyi.workbench import board, insight_panels
from tests.web.pages_support import *  # noqa: F403
from tests.web.pages_support import sign_in


def test_the_board_answers_without_computing_the_hot_issue_ranking(client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def slow_ranking(*args: object, **kwargs: object) -> list:
        raise AssertionError("the board must not rank hot issues while the supervisor waits")

    monkeypatch.setattr(board, "hot_issues", slow_ranking)
    sign_in(client, "supervisor")
    page = client.get("/staff/board")
    assert page.status_code == 200
    assert 'hx-get="/staff/board/hot"' in page.text and 'href="/staff/board/hot"' in page.text


def test_the_hot_issue_page_stands_alone_and_serves_htmx_a_fragment(client) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, "supervisor")
    full = client.get("/staff/board/hot")
    assert full.status_code == 200 and "<html" in full.text and "近30天热点问题" in full.text
    assert 'href="/staff/board"' in full.text
    fragment = client.get("/staff/board/hot", headers={"HX-Request": "true", "HX-Target": "hot-issues"})
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert fragment.text.lstrip().startswith('<section aria-labelledby="h-hot" id="hot-issues">')


def test_handlers_cannot_open_the_hot_issue_page(client) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, "zjj-handler")
    assert client.get("/staff/board/hot").status_code == 403


@pytest.mark.filterwarnings("error")
def test_the_warm_up_runs_the_ranking_in_the_background() -> None:
    thread = insight_panels.start_warm_up()
    thread.join(timeout=120)
    assert not thread.is_alive()
