"""Adapt the review-trained polarity model to citizens' messages with unlabelled messages (no hand labels).

Two steps, both from the message board's own material (docs/emotion-rubric.md, "Domain adaptation"):
1. Distant labels from the speech act in a message's *title*: an inquiry, suggestion or thanks (咨询, 请问,
   建议, 感谢 ...) is calm; a complaint or report (投诉, 举报, 强烈要求 ...) is not. The model reads only the
   body, so the cue word itself is never a feature.
2. One round of self-training: the remaining messages, scored in the citizen domain, join with the label the
   model gives them when it is confident.
3. A prior shift: a fifth of the title-labelled messages is held out of both fits; the cut that best separates
   its calm from its upset messages (balanced accuracy) is moved onto the score's own negative cut.
The citizen messages become a third domain of the domain-augmented features, and a message is then scored
from that domain instead of the mean over the review domains.
"""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

import numpy as np

from minyi.nlp import segment
from minyi.nlp.emotion import EMOTION_CHARS, NEGATIVE_AT, SentimentModel
from minyi.nlp.emotion_train import fit_sentiment
from minyi.nlp.text import normalize

ADAPTED_VERSION = "sentiment-nblr-citizen-2"
CALM_TITLE = re.compile(
    r"^(关于)?.{0,12}?(咨询|请问|建议|感谢|能否|可否|是否可以|如何|怎么|怎样|申请)|感谢|的建议$"
)
UPSET_TITLE = re.compile(
    r"投诉|举报|强烈|不作为|乱收费|为何|为什么|凭什么|何时才|严重扰民|无人管|没人管|维权|讨薪|欺诈"
)
SELF_TRAIN_MARGIN = 0.25  # pseudo-label only messages scored below 0.25 or above 0.75 positive
SELF_TRAIN_SHARE = 0.5  # and at most this share of the unlabelled remainder, most confident first
HOLD_OUT = 0.2  # share of title-labelled messages kept out of fitting to place the cut
SEED = 20200


def title_label(title: str) -> int | None:
    """1 (calm) or 0 (upset) from the speech act of a title; None when it shows neither or both."""
    calm, upset = bool(CALM_TITLE.search(title)), bool(UPSET_TITLE.search(title))
    if calm == upset:
        return None
    return 1 if calm else 0


def read_messages(paths: list[Path]) -> tuple[list[str], list[int | None]]:
    """Folded message bodies and their title labels from `title,detail` CSV files (duplicates dropped)."""
    texts: list[str] = []
    labels: list[int | None] = []
    seen: set[str] = set()
    for path in paths:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                body = segment.fold(normalize(row.get("detail") or "", limit=EMOTION_CHARS))
                if len(body) < 10 or body in seen:
                    continue
                seen.add(body)
                texts.append(body)
                labels.append(title_label(row.get("title") or ""))
    return texts, labels


def fit_adapted(
    reviews: list[str],
    review_labels: np.ndarray,
    review_domains: np.ndarray,
    messages: list[str],
    message_labels: list[int | None],
) -> tuple[SentimentModel, dict]:
    """Train on reviews + title-labelled messages, self-train once, and score from the citizen domain."""
    citizen = int(review_domains.max()) + 1
    labelled = np.array([i for i, lab in enumerate(message_labels) if lab is not None])
    np.random.default_rng(SEED).shuffle(labelled)
    cut_rows = [int(i) for i in labelled[: int(len(labelled) * HOLD_OUT)]]
    known = sorted(int(i) for i in labelled[len(cut_rows) :])
    rest = [i for i, lab in enumerate(message_labels) if lab is None]
    known_labels = [int(message_labels[i] or 0) for i in known]
    first = _fit(reviews, review_labels, review_domains, [messages[i] for i in known], known_labels, citizen)
    probs = np.array([first.positive_probability(messages[i], citizen) for i in rest])
    confidence = np.abs(probs - 0.5)
    order = np.argsort(-confidence)[: int(len(rest) * SELF_TRAIN_SHARE)]
    chosen = [int(j) for j in order if confidence[j] >= 0.5 - SELF_TRAIN_MARGIN]
    texts = [messages[i] for i in known] + [messages[rest[j]] for j in chosen]
    labels = known_labels + [int(probs[j] >= 0.5) for j in chosen]
    model = _fit(reviews, review_labels, review_domains, texts, labels, citizen)
    model.score_domain = citizen
    held = np.array([1.0 - model.positive_probability(messages[i], citizen) for i in cut_rows])
    upset = np.array([message_labels[i] == 0 for i in cut_rows])
    cut, balanced = best_cut(held, upset)
    model.score_shift = float(_logit(1.0 - NEGATIVE_AT) - _logit(1.0 - cut))
    figures = {
        "held_out_for_cut": len(cut_rows),
        "cut": round(cut, 4),
        "held_out_balanced_accuracy": round(balanced, 4),
        "score_shift": round(model.score_shift, 4),
        "title_labelled": len(known),
        "title_calm": sum(1 for i in known if message_labels[i] == 1),
        "self_trained": len(chosen),
        "self_trained_calm": sum(1 for j in chosen if probs[j] >= 0.5),
        "unlabelled_total": len(messages),
    }
    return model, figures


def best_cut(negativity: np.ndarray, upset: np.ndarray) -> tuple[float, float]:
    """The negativity cut (midway between neighbouring scores) with the best balanced accuracy, and that accuracy."""
    values = np.unique(negativity)
    cuts = (values[1:] + values[:-1]) / 2 if len(values) > 1 else values
    best = (0.5, 0.0)
    for c in cuts:
        said = negativity >= c
        score = (float(said[upset].mean()) + float((~said[~upset]).mean())) / 2
        if score > best[1]:
            best = (float(c), score)
    return best


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def _fit(
    reviews: list[str],
    review_labels: np.ndarray,
    review_domains: np.ndarray,
    texts: list[str],
    labels: list[int],
    citizen: int,
) -> SentimentModel:
    return fit_sentiment(
        reviews + texts,
        np.concatenate([review_labels, np.array(labels, dtype=review_labels.dtype)]),
        np.concatenate([review_domains, np.full(len(texts), citizen, dtype=review_domains.dtype)]),
    )
