"""Emotion score: ordering on handmade messages, the lexicon, the polarity model and odd input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from minyi.nlp import emotion
from minyi.nlp.emotion import Emotion, Lexicon, score
from minyi.nlp.emotion_train import fit_sentiment

ANGRY = [
    "物业太过分了！！无法无天，多次反映没人管，我们业主忍无可忍，强烈要求严惩！",
    "拖欠工资一年，讨薪无门，走投无路，难道要逼我们跳楼吗？？",
    "工厂每天半夜排放废气，臭气熏天，全家失眠，孩子生病，真是痛苦不堪，政府不作为！",
]
CALM = [
    "请问新生儿医保怎么办理，需要哪些材料？谢谢。",
    "咨询一下公积金贷款的额度是怎么计算的。",
    "建议在小区门口增设一个公交站点，方便居民出行，谢谢领导。",
]


def test_angry_complaints_rank_above_calm_inquiries() -> None:
    angry = [score(t) for t in ANGRY]
    calm = [score(t) for t in CALM]
    assert min(e.intensity for e in angry) > max(e.intensity for e in calm)
    assert min(e.negativity for e in angry) > max(e.negativity for e in calm)
    assert all(e.label == "negative" for e in angry)
    assert all(e.label != "negative" for e in calm)
    assert {"忍无可忍", "无法无天"} <= set(angry[0].words)


def test_polarity_model_separates_praise_from_complaint() -> None:
    assert (
        score("服务非常好，工作人员很热情，感谢政府！").negativity
        < score("服务很差，态度恶劣，太失望了").negativity
    )


def test_empty_and_non_chinese_text_is_neutral() -> None:
    for text in ["", "   ", "hello", "😀😀😀", None]:
        assert score(text) == Emotion(0.0, 0.0, "neutral", [])


def test_lexicon_files_extend_and_override(tmp_path: Path) -> None:
    base = tmp_path / "emotion_a.tsv"
    base.write_text("# comment\n愤怒\tanger\t0.8\n烦\tdistress\t0.2\n", "utf-8")
    extra = tmp_path / "emotion_b.tsv"
    extra.write_text("烦死了\tdistress\t0.9\n烦\tdistress\t0.4  # override\n", "utf-8")
    lex = Lexicon.from_files([base, extra])
    assert lex.entries["烦"] == ("distress", 0.4)
    assert lex.find("真是烦死了，又烦又愤怒") == ["烦死了", "烦", "愤怒"]
    assert emotion.intensity_of(["烦死了"], 0, lex) > emotion.intensity_of(["烦"], 0, lex)
    assert Lexicon.from_files([]).find("愤怒") == []


def test_shipped_lexicon_has_all_three_categories() -> None:
    cats = {cat for cat, _ in emotion.get_lexicon().entries.values()}
    assert cats == {"anger", "despair", "distress"}


def test_sentiment_model_trains_and_round_trips(tmp_path: Path) -> None:
    pos = ["很好吃", "非常满意", "服务很好", "味道不错", "好评推荐", "干净舒服", "快速满意", "喜欢很好"]
    neg = ["太难吃", "非常失望", "服务很差", "味道很差", "差评垃圾", "又脏又差", "太慢失望", "难吃讨厌"]
    texts = pos * 2 + neg * 2
    labels = np.array([1] * 16 + [0] * 16)
    model = fit_sentiment(texts, labels, np.array([0, 1] * 16))
    assert model.positive_probability("很好满意") > 0.5 > model.positive_probability("很差失望")
    model.save(tmp_path / "s.npz")
    loaded = emotion.SentimentModel.load(tmp_path / "s.npz")
    assert loaded.domains == 2
    assert abs(loaded.positive_probability("很好满意") - model.positive_probability("很好满意")) < 1e-5


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=500))
def test_any_text_gets_a_bounded_score(text: str) -> None:
    e = score(text)
    assert 0.0 <= e.negativity <= 1.0 and 0.0 <= e.intensity <= 1.0
    assert e.label in {"negative", "neutral", "positive"}
    assert all(isinstance(w, str) for w in e.words)


def test_enormous_html_traditional_full_width_input() -> None:
    for text in ["<b>氣憤</b>！！" * 50_000, "ＡＢＣ小區的路燈壞了，太過分了！", "&lt;script&gt;愤怒"]:
        e = score(text)
        assert e.label == "negative" and e.intensity > 0.3


def test_fast_lookup_equals_the_bag_of_tokens_model() -> None:
    import math
    from collections import Counter

    model = emotion.get_sentiment_model()
    assert (
        model is not None and model.domains == 3 and model.score_domain == 2
    )  # reviews ×2, citizen messages
    weights = {t: (i, c) for t, i, c in zip(model.vocab, model.idf, model.coef, strict=True)}

    def reference(folded: str, domain: int) -> float:
        dot = norm = 0.0
        for tok, n in Counter(emotion.sentiment_features(folded)).items():
            for key in (tok, f"@{domain}{tok}"):
                if key in weights:
                    value = (1 + math.log(n)) * weights[key][0]
                    dot, norm = dot + value * weights[key][1], norm + value * value
        return dot / math.sqrt(norm) + model.bias

    for text in ANGRY + CALM + ["房间干净 服务周到 下次还来", "送餐太慢了 菜都凉了"]:
        folded = emotion.segment.fold(emotion.normalize(text))
        assert np.allclose(model.logits(folded), [reference(folded, g) for g in range(3)], atol=1e-4)
