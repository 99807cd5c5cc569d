"""Repeat detection: signatures, band keys for a BIGINT column, similarity and the in-memory index."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minyi.nlp import repeats
from minyi.nlp.repeats import RepeatIndex, band_keys, signature, similarity

BASE = (
    "A市A3区魏家坡小区脏乱差，多年以来多次向社区反映都得不到解决，小区停车情况更加不容乐观，"
    "没有地方停车，车辆乱停乱放，没有消防通道，绿化带也是破烂不堪，路灯倒在绿化带无人管。"
)
EDITED = BASE.replace("多年以来", "这几年").replace("破烂不堪", "一塌糊涂") + "请领导尽快解决！"
OTHER = "A7县泉塘街道小塘路路灯太暗，只有单向路灯，晚上行人出行存在安全隐患，建议提质改造增加双向路灯。"


def test_signatures_are_deterministic_and_ignore_spacing_punctuation_and_script() -> None:
    sig = signature(BASE)
    assert sig.dtype == np.uint32 and sig.shape == (repeats.NUM_PERM,)
    assert np.array_equal(sig, signature(BASE))
    assert similarity(sig, signature(BASE.replace("，", " ").replace("。", "!"))) == 1.0
    assert similarity(signature("我们小区停车难"), signature("我們小區停車難")) == 1.0


def test_an_edited_repost_is_a_repeat_and_an_unrelated_message_is_not() -> None:
    assert similarity(signature(BASE), signature(EDITED)) >= repeats.REPEAT_THRESHOLD
    assert repeats.is_repeat(signature(BASE), signature(EDITED))
    assert similarity(signature(BASE), signature(OTHER)) < 0.1


def test_band_keys_fit_a_signed_bigint_column() -> None:
    keys = band_keys(signature(BASE))
    assert len(keys) == repeats.BANDS
    assert all(isinstance(k, int) and -(2**63) <= k < 2**63 for k in keys)
    assert len(set(keys)) == repeats.BANDS
    assert set(keys) & set(band_keys(signature(EDITED)))
    assert not set(keys) & set(band_keys(signature(OTHER)))


def test_signatures_round_trip_through_bytes() -> None:
    sig = signature(BASE)
    raw = repeats.to_bytes(sig)
    assert len(raw) == repeats.SIGNATURE_BYTES
    assert np.array_equal(repeats.from_bytes(raw), sig)
    assert band_keys(raw) == band_keys(sig)
    assert similarity(raw, sig) == 1.0
    with pytest.raises(ValueError):
        repeats.from_bytes(b"short")


def test_text_without_letters_matches_nothing() -> None:
    empty = signature("。。。 !!!")
    assert repeats.is_empty(empty)
    assert band_keys(empty) == []
    assert similarity(empty, empty) == 0.0
    assert not repeats.is_empty(signature("好"))


def test_the_index_finds_reposts_most_similar_first() -> None:
    index = RepeatIndex()
    index.add(1, BASE)
    index.add(2, OTHER)
    index.add(3, EDITED)
    assert len(index) == 3
    hits = index.query(BASE)
    assert [i for i, _ in hits] == [1, 3]
    assert hits[0][1] == 1.0 > hits[1][1] >= repeats.REPEAT_THRESHOLD
    assert index.query("完全无关的一句话，讲的是公交车改线的事情") == []
    with pytest.raises(KeyError):
        index.add(1, BASE)


def test_the_index_accepts_stored_signatures() -> None:
    index = RepeatIndex()
    index.add_signature("a", repeats.to_bytes(signature(BASE)))
    assert index.query_signature(signature(EDITED))[0][0] == "a"


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=400))
def test_any_text_gets_a_signature_and_keys(text: str) -> None:
    sig = signature(text)
    assert sig.shape == (repeats.NUM_PERM,)
    assert similarity(sig, sig) in (0.0, 1.0)
    assert all(-(2**63) <= k < 2**63 for k in band_keys(sig))


def test_the_fast_signature_equals_datasketch_minhash() -> None:
    for text in (BASE, EDITED, OTHER, "好"):
        assert np.array_equal(signature(text), repeats.datasketch_minhash(text).hashvalues)


def test_band_keys_in_bulk_match_one_by_one() -> None:
    sigs = np.stack([signature(BASE), signature(OTHER), signature("")])
    keys = repeats.band_keys_many(sigs)
    assert keys.shape == (3, repeats.BANDS) and keys.dtype == np.int64
    assert keys[0].tolist() == band_keys(sigs[0])
    assert keys[1].tolist() == band_keys(sigs[1])
    assert not keys[2].any()


def test_the_same_user_rewriting_a_message_links_at_a_lower_similarity() -> None:
    first = "金科时代中心小区业主停车难，周边没有公共停车位，希望在中茂城附近增设停车场。"
    second = (
        "金科时代中心小区业主停车难，中茂城商业发展后更难停车，建议在附近增设公共停车位，请领导调研采纳。"
    )
    sim = similarity(signature(first), signature(second))
    assert repeats.SAME_USER_THRESHOLD <= sim < repeats.REPEAT_THRESHOLD
    assert repeats.is_repeat(signature(first), signature(second), same_user=True)
    assert not repeats.is_repeat(signature(first), signature(second))
    index = RepeatIndex()
    index.add("a", first, user="U1")
    assert index.query(second) == []
    assert index.query(second, user="U2") == []
    assert [i for i, _ in index.query(second, user="U1")] == ["a"]
