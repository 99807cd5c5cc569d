"""Training the polarity model of `minyi.nlp.emotion` from labelled review corpora (offline, needs scikit-learn)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from minyi.nlp import segment
from minyi.nlp.emotion import EMOTION_CHARS, SentimentModel, sentiment_features
from minyi.nlp.text import normalize


def read_reviews(paths: list[Path]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Folded review texts, labels (1 positive) and corpus index from `label,review` CSV files."""
    texts, labels, domains = [], [], []
    for g, path in enumerate(paths):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                texts.append(segment.fold(normalize(row.get("review") or "", limit=EMOTION_CHARS)))
                labels.append(int(row["label"]))
                domains.append(g)
    return texts, np.array(labels), np.array(domains)


def _augmented(folded: str, domain: int) -> list[str]:
    toks = sentiment_features(folded)
    return toks + [f"@{domain}{t}" for t in toks]


def fit_sentiment(texts: list[str], labels: np.ndarray, domains: np.ndarray) -> SentimentModel:
    """NB-weighted and plain logistic regression on domain-augmented tf-idf, summed into one weight vector."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    docs = [_augmented(t, int(g)) for t, g in zip(texts, domains, strict=True)]
    vec = TfidfVectorizer(analyzer=lambda d: d, sublinear_tf=True, min_df=3, dtype=np.float32)
    x = vec.fit_transform(docs)
    binary = (x > 0).astype(np.float32)
    p = np.asarray(binary[labels == 1].sum(axis=0)).ravel() + 1.0
    q = np.asarray(binary[labels == 0].sum(axis=0)).ravel() + 1.0
    ratio = np.log((p / p.sum()) / (q / q.sum())).astype(np.float32)
    nb = LogisticRegression(C=3.0, solver="liblinear").fit(x.multiply(ratio).tocsr(), labels)
    plain = LogisticRegression(C=3.0, solver="liblinear").fit(x, labels)
    coef = np.zeros(x.shape[1])
    bias = 0.0
    for w, b in ((nb.coef_.ravel() * ratio, nb.intercept_[0]), (plain.coef_.ravel(), plain.intercept_[0])):
        spread = float(np.std(x @ w + b)) or 1.0
        coef += w / spread
        bias += b / spread
    vocab = sorted(vec.vocabulary_, key=vec.vocabulary_.__getitem__)
    return SentimentModel(vocab, vec.idf_, coef, bias, domains=int(domains.max()) + 1)


def cross_validate_sentiment(texts: list[str], labels: np.ndarray, domains: np.ndarray, k: int = 5) -> dict:
    """Accuracy per corpus by k-fold CV, scored in-domain and domain-averaged (what messages get)."""
    from sklearn.model_selection import StratifiedKFold

    strata = domains * 2 + labels
    in_domain = np.zeros(len(texts))
    unseen = np.zeros(len(texts))
    for train, test in StratifiedKFold(k, shuffle=True, random_state=0).split(texts, strata):
        model = fit_sentiment([texts[i] for i in train], labels[train], domains[train])
        for i in test:
            in_domain[i] = model.positive_probability(texts[i], int(domains[i]))
            unseen[i] = model.positive_probability(texts[i])
    out = {}
    for g in sorted(set(domains.tolist())):
        sel = domains == g
        out[str(g)] = {
            "n": int(sel.sum()),
            "accuracy_in_domain": round(float(((in_domain[sel] >= 0.5) == labels[sel]).mean()), 4),
            "accuracy_domain_averaged": round(float(((unseen[sel] >= 0.5) == labels[sel]).mean()), 4),
        }
    return out
