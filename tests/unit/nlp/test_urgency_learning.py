"""Urgency learns from staff corrections: a candidate beats the rules on held-out corrections or is not promoted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from minyi.nlp import urgency
from minyi.nlp.urgency_learning import (
    MIN_HELD_OUT,
    RULES,
    UrgencyCorrection,
    UrgencyModel,
    held_out,
    retrain,
)

T0 = datetime(2026, 11, 1, tzinfo=UTC)
STREETS = ["幸福路", "人民路", "解放路", "建设路", "和平路", "中山路", "长江路", "黄河路", "光明街", "文化路"]
PLAIN = ["小区绿化带杂草丛生", "公交站台广告牌褪色", "图书馆开放时间太短", "菜市场摊位费上涨", "路灯间距过大"]


def _base() -> list[str]:
    texts = [f"{STREETS[i % 10]}{PLAIN[i % 5]}，希望有关部门处理，第{i}号。" for i in range(200)]
    texts += [f"{STREETS[i % 10]}一户居民家中燃气泄漏，请立即处理，第{i}号。" for i in range(20)]
    return texts


def _corrections() -> list[UrgencyCorrection]:
    """Staff say an open manhole is urgent (the rules know no such word) and a game's 爆炸 sound effect is not."""
    out = []
    for i in range(60):
        street = STREETS[i % 10]
        if i % 3:
            text, urgent = f"{street}井盖丢失，晚上已有行人掉进井里，第{i}次反映。", True
        else:
            text, urgent = f"{street}网吧里游戏爆炸音效太吵，影响休息，第{i}次反映。", False
        out.append(UrgencyCorrection(i + 1, text, urgent, 7, T0 + timedelta(hours=i), RULES))
    return out


def test_the_rules_miss_what_staff_corrected() -> None:
    rows = _corrections()
    assert not urgency.is_urgent(urgency.detect(rows[1].text))
    assert urgency.is_urgent(urgency.detect(rows[0].text))


def test_a_candidate_that_learns_the_corrections_is_promoted_over_the_rules(tmp_path: Path) -> None:
    result = retrain(_base(), _corrections(), active=None, version="urgency-test-1")
    assert result.reference == RULES and result.figures["n"] >= MIN_HELD_OUT
    assert result.figures["macro_f1"] > result.reference_figures["macro_f1"]
    assert result.promote
    model = result.candidate
    assert model.is_urgent("光明街井盖丢失，有老人掉进去了。")
    assert not model.is_urgent("光明街游戏爆炸音效太吵。")
    assert model.is_urgent("文化路居民家中燃气泄漏，请立即处理。")  # the rules' verdicts are kept
    assert not model.is_urgent("文化路路灯间距过大，希望处理。")
    model.save(tmp_path / "v")
    again = UrgencyModel.load(tmp_path / "v")
    texts = ["人民路井盖丢失", "人民路菜市场摊位费上涨"]
    assert np.allclose(again.probabilities(texts), model.probabilities(texts), atol=1e-4)
    assert again.version == "urgency-test-1" and again.meta["held_out"] == result.figures


def test_a_candidate_is_not_promoted_over_a_better_active_model() -> None:
    active = retrain(_base(), _corrections(), active=None, version="urgency-a").candidate
    worse = [c for c in _corrections() if held_out(c.case_id)]  # trains on none of the corrections
    result = retrain(_base(), worse, active=active, version="urgency-b")
    assert result.reference == "urgency-a"
    assert result.figures["macro_f1"] < result.reference_figures["macro_f1"] and not result.promote


def test_too_few_held_out_corrections_decide_nothing() -> None:
    few = _corrections()[:6]
    result = retrain(_base(), few, active=None, version="urgency-c")
    assert result.figures["n"] < MIN_HELD_OUT and not result.promote


def test_a_later_correction_of_the_same_case_replaces_the_earlier_one() -> None:
    rows = _corrections()
    flipped = [*rows, UrgencyCorrection(2, rows[1].text, False, 7, T0 + timedelta(days=9), RULES)]
    from minyi.nlp.learning import latest_per_case

    assert [c.urgent for c in latest_per_case(flipped) if c.case_id == 2] == [False]
