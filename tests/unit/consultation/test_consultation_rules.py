"""The pure rules of a consultation: drafts, dates, warnings, the balanced order, rate limits, the answer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from minyi.consultation import rules
from minyi.consultation.drafts import chinese_number, parse_draft
from minyi.consultation.grouping import propose_groups
from minyi.errors import Conflict, InvalidInput

T0 = datetime(2026, 12, 1, tzinfo=UTC)


def test_chinese_clause_numbers() -> None:
    assert [chinese_number(s) for s in ["一", "十", "十二", "二十", "二十三", "一百零五", "7"]] == [
        1,
        10,
        12,
        20,
        23,
        105,
        7,
    ]


def test_a_draft_splits_on_chinese_and_markdown_numbered_headings() -> None:
    text = (
        "第一条 为了规范管理，制定本办法。\n第二条 适用范围\n本办法适用于全市。\n\n## 3. 费用\n按楼层分摊。"
    )
    clauses = parse_draft(text)
    assert [(c.number, c.heading, c.text) for c in clauses] == [
        (1, "", "为了规范管理，制定本办法。"), (2, "适用范围", "本办法适用于全市。"), (3, "费用", "按楼层分摊。")]  # fmt: skip


@pytest.mark.parametrize("text", ["前言没有编号\n第一条 内容", "第一条 甲\n第一条 乙", "没有条款"])
def test_a_draft_without_clean_numbering_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_draft(text)


def test_a_major_decision_open_less_than_30_days_warns() -> None:
    assert rules.warnings("major", T0, T0 + timedelta(days=20))
    assert not rules.warnings("major", T0, T0 + timedelta(days=30))
    assert not rules.warnings("community", T0, T0 + timedelta(days=7))


def test_states_move_only_forward_in_order() -> None:
    assert rules.check_transition("open", "draft") == "open"
    assert rules.check_transition("publish_report", "closed") == "answered"
    with pytest.raises(Conflict):
        rules.check_transition("publish_report", "open")
    with pytest.raises(Conflict):
        rules.check_transition("open", "closed")


def test_participation_only_inside_the_dates_of_an_open_consultation() -> None:
    rules.check_open_now("open", T0, T0 + timedelta(days=1), T0)
    for state, now in [("open", T0 - timedelta(seconds=1)), ("open", T0 + timedelta(days=1)), ("closed", T0)]:
        with pytest.raises(rules.ConsultationClosed):
            rules.check_open_now(state, T0, T0 + timedelta(days=1), now)


def test_answered_needs_every_group_answered() -> None:
    rules.check_answerable(["adopted", "partly"])
    with pytest.raises(Conflict):
        rules.check_answerable(["adopted", None])


def test_the_least_seen_statement_comes_next() -> None:
    assert rules.pick_next_statement([(1, 5), (2, 1), (3, 1)], salt=0) == 2
    assert rules.pick_next_statement([(1, 5), (2, 1), (3, 1)], salt=1) == 3
    assert rules.pick_next_statement([], salt=0) is None


def test_the_rate_limit_counts_in_a_window_and_resets_after_it() -> None:
    rate = rules.Rate(None, 0)
    for _ in range(rules.RATE_LIMIT):
        rate = rules.next_rate(rate, T0)
    with pytest.raises(rules.RateLimited):
        rules.next_rate(rate, T0 + timedelta(seconds=30))
    assert rules.next_rate(rate, T0 + rules.RATE_WINDOW).count == 1


def test_similar_comments_on_one_clause_are_proposed_together() -> None:
    comments = [(1, 7, "电梯补贴太少了，应该提高补贴标准"), (2, 7, "电梯补贴太少，应当提高补贴标准"),
                (3, 7, "施工噪音扰民"), (4, 8, "电梯补贴太少了，应该提高补贴标准")]  # fmt: skip
    assert propose_groups(comments) == [[1, 2], [3], [4]]
