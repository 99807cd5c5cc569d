"""The combined enrichment: every part filled, missing models tolerated, and no string can make it raise."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minyi.nlp import enrich as enrich_mod
from minyi.nlp import repeats
from minyi.nlp.enrich import Enrichment, enrich, enrich_many


@dataclass
class FakePrediction:
    label: str
    confidence: float
    top3: list[tuple[str, float]]
    needs_triage: bool


@dataclass
class FakeEmotion:
    negativity: float
    intensity: float
    label: str
    words: list[str]


class FakeModel:
    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def predict(self, texts: list[str]) -> list[FakePrediction]:
        self.batches.append(list(texts))
        return [FakePrediction("城乡建设", 0.9, [("城乡建设", 0.9)], False) for _ in texts]


@pytest.fixture
def fake_models(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeModel]:
    model = FakeModel()
    topic = types.ModuleType("minyi.nlp.topic")
    topic.get_topic_model = lambda: model  # type: ignore[attr-defined]
    emotion = types.ModuleType("minyi.nlp.emotion")
    emotion.score_many = lambda texts: [FakeEmotion(0.8, 0.5, "negative", ["差"]) for _ in texts]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "minyi.nlp.topic", topic)
    monkeypatch.setitem(sys.modules, "minyi.nlp.emotion", emotion)
    enrich_mod.reset_topic_model()
    yield model
    enrich_mod.reset_topic_model()


@pytest.fixture
def no_models(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(sys.modules, "minyi.nlp.topic", None)
    monkeypatch.setitem(sys.modules, "minyi.nlp.emotion", None)
    enrich_mod.reset_topic_model()
    yield
    enrich_mod.reset_topic_model()


MESSAGE = (
    "A3区魏家坡小区消防通道被堵",
    "我叫张伟，电话13812345678。小区着火了消防车进不来，我们300多户业主联名反映！",
)


def test_a_message_gets_every_part(fake_models: FakeModel) -> None:
    result = enrich(*MESSAGE)
    assert result.topic is not None and result.topic.label == "城乡建设"
    assert result.emotion is not None and result.emotion.label == "negative"
    assert {f.flag for f in result.urgency} == {"danger", "collective"}
    assert result.is_urgent
    assert result.pii_count == 2 and result.pii_kinds == ["mobile", "name"]
    assert len(result.signature) == repeats.SIGNATURE_BYTES
    assert result.band_keys == repeats.band_keys(result.signature)
    assert result.language_ok and result.warnings == []
    assert result.normalized_title == MESSAGE[0]


def test_the_topic_model_predicts_a_batch_at_once(fake_models: FakeModel) -> None:
    results = enrich_many([MESSAGE, ("路灯坏了", "小塘路路灯不亮"), ("", "")])
    assert len(results) == 3
    assert len(fake_models.batches) == 1 and len(fake_models.batches[0]) == 2
    assert results[2].topic is None and not results[2].language_ok


def test_missing_models_become_warnings(no_models: None) -> None:
    result = enrich(*MESSAGE)
    assert result.topic is None and result.emotion is None
    assert "topic_unavailable" in result.warnings and "emotion_unavailable" in result.warnings
    assert result.is_urgent and result.pii_count == 2


def test_a_broken_model_becomes_a_warning(fake_models: FakeModel, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(texts: list[str]) -> list[FakePrediction]:
        raise RuntimeError("model file corrupt")

    monkeypatch.setattr(fake_models, "predict", boom)
    result = enrich(*MESSAGE)
    assert result.topic is None
    assert "topic_failed: RuntimeError" in result.warnings


@pytest.mark.parametrize(
    ("title", "text", "warning"),
    [
        ("", "", "empty"),
        ("   ", "\n\t ", "empty"),
        ("Street light broken", "The street light on Main Road has been off for a month.", "not_chinese"),
        ("🙂🙂", "👍👍👍", "not_chinese"),
    ],
)
def test_non_chinese_or_empty_input_is_flagged(
    fake_models: FakeModel, title: str, text: str, warning: str
) -> None:
    result = enrich(title, text)
    assert not result.language_ok
    assert any(w.startswith(warning) for w in result.warnings)
    assert result.topic is None


def test_mixed_script_html_and_traditional_text_is_analysed(fake_models: FakeModel) -> None:
    result = enrich("<b>WiFi</b>信號差", "<p>小區的WiFi和4G信號都很差&nbsp;，希望盡快解決</p>")
    assert result.language_ok
    assert result.normalized_text == "小区的WiFi和4G信号都很差 ,希望尽快解决"


def test_a_megabyte_of_text_is_truncated_with_a_warning(fake_models: FakeModel) -> None:
    result = enrich("很长", "小区噪音扰民。" * 150_000)
    assert any(w.startswith("truncated") for w in result.warnings)
    assert len(result.normalized_text) <= 10_000


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=2000), st.text(max_size=200))
def test_no_string_makes_enrich_raise(fake_models: FakeModel, text: str, title: str) -> None:
    result = enrich(title, text)
    assert isinstance(result, Enrichment)
    assert result.language_ok or result.warnings


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=500))
def test_no_string_makes_enrich_raise_with_the_real_modules(text: str) -> None:
    assert isinstance(enrich(text[:20], text), Enrichment)


def test_non_string_input_is_tolerated(fake_models: FakeModel) -> None:
    assert isinstance(enrich(None, 12345), Enrichment)  # type: ignore[arg-type]


@given(st.text(max_size=80), st.text(max_size=300))
def test_title_and_body_are_normalised_as_if_separately(title: str, text: str) -> None:
    from minyi.nlp.text import normalize

    assert enrich_mod._normalize_pair(title, text) == (normalize(title), normalize(text))


def test_an_emotion_failure_stays_with_its_message(
    fake_models: FakeModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    def picky(texts: list[str]) -> list[FakeEmotion]:
        if any("坏消息" in t for t in texts):
            raise ValueError("cannot read this one")
        return [FakeEmotion(0.1, 0.0, "neutral", []) for _ in texts]

    monkeypatch.setattr(sys.modules["minyi.nlp.emotion"], "score_many", picky)
    good, bad = enrich_many([("路灯坏了", "小塘路路灯不亮"), ("坏消息", "这是坏消息的正文")])
    assert good.emotion is not None and good.warnings == []
    assert bad.emotion is None and bad.warnings == ["emotion_failed: ValueError"]
    assert bad.topic is not None
