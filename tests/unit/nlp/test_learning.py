"""The learning loop's pure parts: the fixed held-out split, one correction per case, the training rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from minyi.nlp.learning import Correction, held_out_split, latest_per_case, training_corpus

T0 = datetime(2026, 3, 2, tzinfo=UTC)
PLACES = ["东湖", "西城", "南山", "北岭", "中环", "江滨", "桥头", "新村", "老街", "河口"]


def _texts(n: int) -> list[str]:
    return [f"{PLACES[i % 10]}第{i}号 关于第{i * 7}件事情的反映 内容{i * 13}" for i in range(n)]


def test_the_held_out_split_is_fixed_a_fifth_and_keeps_duplicates_together() -> None:
    texts = _texts(400)
    mask = held_out_split(texts)
    assert (mask == held_out_split(list(texts))).all()  # same rows every time
    assert 0.12 < mask.mean() < 0.28
    reposted = texts + [texts[i] + "。" for i in range(40)]  # the same message posted again
    again = held_out_split(reposted)
    assert (again[400:] == again[:40]).all()


def _corr(case_id: int, label: str, minutes: int, text: str = "某事") -> Correction:
    return Correction(case_id, text, label, 7, T0 + timedelta(minutes=minutes), "topic-a")


def test_a_later_correction_of_the_same_case_replaces_the_earlier() -> None:
    rows = latest_per_case([_corr(1, "交通运输", 5), _corr(2, "卫生计生", 1), _corr(1, "城乡建设", 2)])
    assert [(c.case_id, c.label) for c in rows] == [(1, "交通运输"), (2, "卫生计生")]


def test_corrections_repeating_a_test_message_or_with_unknown_labels_are_not_trained_on() -> None:
    texts = _texts(200)
    labels = ["交通运输" if i % 2 else "城乡建设" for i in range(200)]
    mask = held_out_split(texts)
    test_text = texts[int(mask.argmax())]
    fresh = "完全不同的一条新留言 关于公交站台"
    corrections = [
        _corr(1, "交通运输", 1, test_text),  # would leak the test set
        _corr(2, "不存在的分类", 2, fresh + "甲"),
        _corr(3, "交通运输", 3, fresh),
    ]
    train, test, dropped = training_corpus(texts, labels, corrections, ["交通运输", "城乡建设"])
    assert dropped == 2
    assert fresh in train.texts and test_text not in train.texts
    assert len(test.texts) == int(mask.sum())
    assert len(train.texts) == 200 - int(mask.sum()) + 1
