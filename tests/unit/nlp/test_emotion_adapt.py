"""Adapting the emotion score to citizens' messages: title labels, the scoring domain and its prior shift."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from minyi.nlp import emotion
from minyi.nlp.emotion_adapt import best_cut, fit_adapted, read_messages, title_label

TAGS = "甲乙丙丁戊己庚辛壬癸"  # digits fold to 0: distinct messages need distinct letters
LABELLED = Path(__file__).resolve().parents[3] / "bench" / "labels" / "citizen_emotion_e1.csv"


def test_the_title_speech_act_gives_a_label_or_none() -> None:
    assert title_label("咨询公租房申请条件") == 1
    assert title_label("关于增设公交站点的建议") == 1
    assert title_label("投诉某物业乱收停车费") == 0
    assert title_label("为什么拖欠工资无人管") == 0
    assert title_label("幸福路路灯不亮") is None  # neither
    assert title_label("咨询：为什么投诉无人回复") is None  # both


def test_best_cut_separates_and_reports_balanced_accuracy() -> None:
    cut, balanced = best_cut(
        np.array([0.1, 0.2, 0.3, 0.7, 0.8, 0.9]), np.array([0, 0, 0, 1, 1, 1], dtype=bool)
    )
    assert 0.3 < cut < 0.7 and balanced == 1.0


def test_an_adapted_model_scores_from_the_citizen_domain_and_survives_save(tmp_path: Path) -> None:
    reviews = [emotion.segment.fold(t) for t in ["很好 满意 干净", "很差 失望 太慢"] * 20]
    labels, domains = np.array([1, 0] * 20), np.array([0, 1] * 20)
    rows = [("咨询公租房", "请问 公租房 怎么 申请 谢谢"), ("投诉物业", "物业 乱收费 多次 反映 没人 管")] * 15
    rows += [("幸福路", f"路灯 不亮 {TAGS[i]}") for i in range(10)]
    path = tmp_path / "m.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "title", "detail"])
        w.writerows([(i, t, f"{d} {TAGS[i % 10]}{TAGS[i // 10]}") for i, (t, d) in enumerate(rows)])
    messages, message_labels = read_messages([path])
    assert len(messages) == 40 and message_labels.count(None) == 10
    model, figures = fit_adapted(reviews, labels, domains, messages, message_labels)
    assert model.domains == 3 and model.score_domain == 2
    assert figures["title_labelled"] == 24 and figures["held_out_for_cut"] == 6
    calm, upset = emotion.segment.fold("请问 公租房 怎么 申请"), emotion.segment.fold("物业 乱收费 没人 管")
    assert model.positive_probability(calm) > model.positive_probability(upset)
    model.save(tmp_path / "s.npz")
    loaded = emotion.SentimentModel.load(tmp_path / "s.npz")
    assert (loaded.score_domain, round(loaded.score_shift, 4)) == (2, round(model.score_shift, 4))
    assert abs(loaded.positive_probability(calm) - model.positive_probability(calm)) < 1e-4


def test_the_shipped_score_agrees_with_the_own_labelled_citizen_messages() -> None:
    """The review-only model reached 0.567 / kappa 0.35 here (docs/benchmarks.md); the adapted one 0.617 / 0.425."""
    with LABELLED.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))

    def label(e: emotion.Emotion) -> str:  # the rule fixed in docs/emotion-rubric.md
        if e.negativity < emotion.NEGATIVE_AT:
            return "calm"
        return "angry" if e.intensity >= 0.5 else "dissatisfied"

    said = [label(emotion.score(r["text"])) for r in rows]
    agreement = float(np.mean([s == r["label"] for s, r in zip(said, rows, strict=True)]))
    assert agreement >= 0.6
