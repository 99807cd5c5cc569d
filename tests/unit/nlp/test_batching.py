"""Enrichment in batches gives what one message at a time gives, and each vectorised shortcut equals its reference."""

from __future__ import annotations

import unicodedata

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from minyi.nlp import emotion, enrich, memo, repeats, segment, text
from minyi.nlp.keyindex import KeyIndex

MESSAGES = [
    (
        "A3区魏家坡小区消防通道被堵",
        "我叫张伟，电话13812345678。小区着火了消防车进不来，我们300多户业主联名反映！",
    ),
    ("路灯坏了", "小塘路路灯不亮已经一个月，晚上出行很危险，请尽快维修，谢谢。"),
    ("拖欠工资", "包工头拖欠我们农民工工资半年，讨薪无门，走投无路了！！"),
    ("咨询", "请问新生儿医保怎么办理，需要哪些材料？"),
    ("", ""),
    ("hello", "just some english text 12345"),
    ("<b>氣憤</b>", "ＡＢＣ小區的路燈壞了，太過分了！&lt;script&gt;" * 40),
    ("长文", "小区物业不作为，垃圾堆积如山，臭气熏天。" * 120),
    ("😀", "😀😀 ?? !!"),
]


def _plain(r: enrich.Enrichment) -> tuple:
    return (
        r.normalized_title,
        r.normalized_text,
        r.topic,
        r.topic_version,
        r.emotion,
        r.urgency,
        r.is_urgent,
        r.urgency_version,
        r.pii_count,
        r.pii_kinds,
        r.signature,
        r.band_keys,
        r.language_ok,
        r.warnings,
    )


def test_a_batch_is_enriched_exactly_as_one_message_at_a_time() -> None:
    batch = enrich.enrich_many(MESSAGES)
    alone = [enrich.enrich(title, body) for title, body in MESSAGES]
    assert [_plain(r) for r in batch] == [_plain(r) for r in alone]
    assert batch[0].emotion is not None and batch[0].topic is not None
    assert batch[4].band_keys == [] and batch[0].band_keys == repeats.band_keys(batch[0].signature)


def test_emotion_scored_in_a_batch_equals_one_by_one() -> None:
    texts: list[str | None] = [f"{t}\n{b}" for t, b in MESSAGES] + [None, "   "]
    assert emotion.score_many(texts) == [emotion.score(t) for t in texts]
    model = emotion.get_sentiment_model()
    assert model is not None
    folded = [segment.fold(text.normalize(t)) for t in texts]
    rows = model.logits_many(folded)
    for one, row in zip(folded, rows, strict=True):
        assert np.array_equal(model.logits(one), row, equal_nan=True)


def test_the_band_keys_of_a_batch_equal_those_of_each_signature() -> None:
    sigs = [repeats.to_bytes(repeats.signature(t)) for t in ["小区路灯不亮", "", "物业乱收费请处理"]]
    assert repeats.band_keys_of(sigs) == [repeats.band_keys(s) for s in sigs]
    assert repeats.band_keys_of([]) == []


def test_word_keys_are_the_keys_of_the_jieba_words() -> None:
    docs = ["小区 路灯 不亮已经一个月", "", "a b 0 消防通道被堵 中华人民共和国"]
    keys, owner, long = segment.word_keys(docs)
    words = [(w, d) for d, doc in enumerate(docs) for w in segment.words(doc)]
    assert owner.tolist() == [d for _, d in words]
    assert keys.tolist() == [segment.key(w) if len(w) <= 3 else 0 for w, _ in words]
    assert long == [w for w, _ in words if len(w) > 3]
    with memo.shared():
        assert segment.word_keys(docs)[0].tolist() == segment.word_keys(docs)[0].tolist() == keys.tolist()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_vectorised_nfkc_and_traditional_test_equal_the_reference(value: str) -> None:
    assert text._nfkc(value) == unicodedata.normalize("NFKC", value)
    assert text._has_traditional(value) == (not text._TRADITIONAL.isdisjoint(value))


def test_full_width_forms_and_surrogates_survive_nfkc() -> None:
    for value in ["ＡＢＣ　１２３！～", "x\ud800y", "①ｶ\u3000氣", "".join(map(chr, range(0xFF00, 0xFF70)))]:
        assert text._nfkc(value) == unicodedata.normalize("NFKC", value)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(0, 2**63 - 1), unique=True, max_size=300),
    st.lists(st.integers(0, 2**63 - 1), max_size=100),
)
def test_the_hash_index_finds_what_the_sorted_search_finds(vocab: list[int], others: list[int]) -> None:
    sorted_vocab = np.array(sorted(vocab), dtype=np.uint64)
    queries = np.array(vocab[: len(vocab) // 2] + others, dtype=np.uint64)
    pos, found = KeyIndex(sorted_vocab).find(queries)
    ref_pos, ref_found = segment.lookup(queries, sorted_vocab)
    assert found.tolist() == ref_found.tolist()
    assert pos[found].tolist() == ref_pos[ref_found].tolist()


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("中文字ab1_ ，。！\u3400\u4dbfé٣ⅫＡ"), max_size=40)
    | st.text(max_size=40)
)
def test_the_language_check_counts_as_the_character_lists_did(value: str) -> None:
    import re

    han = len(re.findall("[\u3400-\u4dbf\u4e00-\u9fff]", value))
    letters = len(re.findall(r"[^\W\d_]", value))
    ok, _ = enrich.language_check(value)
    assert ok == (bool(value.strip()) and han >= 2 and han / letters >= enrich.MIN_HAN_SHARE)
