"""Topic model never crashes on odd input: property-based checks against the shipped model."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from minyi.nlp.topic import get_topic_model

ODD = [
    "",
    " \t\n\u3000 ",
    "Please fix the street light near my house",
    "😡😡😡🚧🚧",
    "學校亂收費，請教育局處理",  # traditional
    "ＡＢＣ小区的路灯坏了１２３天",  # full-width
    "<p>小区<b>垃圾</b>没人清理&amp;臭气熏天</p><script>alert(1)</script>",
    "噪音" * 20_000,
]


def test_odd_inputs_give_sensible_predictions() -> None:
    model = get_topic_model()
    assert model is not None
    preds = model.predict(ODD)
    assert len(preds) == len(ODD)
    for p in preds:
        assert p.label in model.labels
        assert 0.0 <= p.confidence <= 1.0
        assert len(p.top3) == 3
    assert preds[0].needs_triage and preds[0].confidence == 0.0
    assert preds[1].needs_triage and preds[2].needs_triage and preds[3].needs_triage
    assert preds[4].label == "教育文体"  # traditional characters are read as simplified
    assert preds[6].label in {"城乡建设", "环境保护"}


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(max_size=300), min_size=1, max_size=5))
def test_any_text_gets_a_valid_prediction(texts: list[str]) -> None:
    model = get_topic_model()
    assert model is not None
    for text, p in zip(texts, model.predict(texts), strict=True):
        assert p.label in model.labels
        assert 0.0 <= p.confidence <= 1.0
        assert [lab for lab, _ in p.top3][0] == p.label
        assert p.needs_triage == (p.confidence < model.threshold) or p.confidence == 0.0
        if not text.strip():
            assert p.needs_triage and p.confidence == 0.0


def test_characters_simplified_outside_the_basic_block_still_count_as_chinese() -> None:
    """zhconv maps 蟂 to 𫋇 (U+2B2C7, CJK extension F): the text is still Chinese and gets a real score."""
    model = get_topic_model()
    assert model is not None
    (p,) = model.predict(["一蟂"])
    assert p.confidence > 0.0


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=2, max_size=200))
def test_chinese_text_gets_a_real_distribution(text: str) -> None:
    model = get_topic_model()
    assert model is not None
    (p,) = model.predict([text])
    assert p.confidence > 0.0
    assert sum(prob for _, prob in p.top3) <= 1.0 + 1e-6
