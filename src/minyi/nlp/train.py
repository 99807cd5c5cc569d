"""Train and evaluate the topic model: NB-SVM + ridge ensemble, out-of-fold temperature and triage threshold."""

from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize_scalar
from sklearn.linear_model import RidgeClassifier
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.svm import LinearSVC

from minyi.nlp import segment
from minyi.nlp.metrics import expected_calibration_error, metrics
from minyi.nlp.topic import CHAR_N, Featurizer, TopicModel, prepare, softmax

MODEL_VERSION = "topic-nbsvm-ridge-1"
TARGET_PRECISION = 0.97  # auto-routed messages must be right at least this often; the rest go to triage
SEED = 20200


@dataclass
class Corpus:
    """Labelled texts, their jieba words and character keys, and duplicate groups (CV never splits one)."""

    texts: list[str]
    labels: np.ndarray
    words: list[list[str]] = field(default_factory=list)
    chars: list[np.ndarray] = field(default_factory=list)
    groups: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))

    def __post_init__(self) -> None:
        if self.words:  # built by subset()
            return
        folded = [prepare(t) for t in self.texts]
        self.words = [segment.words(f) for f in folded]
        keys, owner = segment.char_keys(folded, CHAR_N)
        order = np.argsort(owner, kind="stable")
        bounds = np.cumsum(np.bincount(owner, minlength=len(folded)))[:-1]
        self.chars = np.split(keys[order], bounds)
        self.groups = duplicate_groups(self.texts)

    def subset(self, rows: np.ndarray) -> Corpus:
        """The given rows, sharing the analysis already done."""
        return Corpus(
            [self.texts[i] for i in rows],
            self.labels[rows],
            [self.words[i] for i in rows],
            [self.chars[i] for i in rows],
            self.groups[rows],
        )

    def matrix(self, fz: Featurizer, rows: np.ndarray | None = None) -> sp.csr_matrix:
        """Feature matrix of the given rows (all by default)."""
        idx = np.arange(len(self.texts)) if rows is None else rows
        chars = [self.chars[i] for i in idx]
        owner = np.repeat(np.arange(len(idx), dtype=np.int64), [len(c) for c in chars])
        keys = np.concatenate(chars) if chars else np.zeros(0, dtype=np.uint64)
        return fz.transform([self.words[i] for i in idx], (keys, owner))


def message_text(row: dict[str, str]) -> str:
    """Title and body of a message row joined, whichever of detail/text holds the body."""
    body = row.get("detail") or row.get("text") or ""
    title = row.get("title") or ""
    return f"{title}\n{body}" if title.strip() else body


def read_messages(path: Path) -> list[dict[str, str]]:
    """Rows of a message CSV (UTF-8, optional BOM)."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a data file, recorded beside the model."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def duplicate_groups(texts: list[str], span: int = 200) -> np.ndarray:
    """Group ids: texts agreeing on their first or their last `span` word characters are one message re-posted."""
    parent = list(range(len(texts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    seen: dict[tuple[str, str], int] = {}
    for i, text in enumerate(texts):
        squeezed = re.sub(r"\W+", "", text)
        for key in (("head", squeezed[:span]), ("tail", squeezed[-span:])):
            j = seen.setdefault(key, i)
            parent[root(i)] = root(j)
    roots = [root(i) for i in range(len(texts))]
    ids: dict[int, int] = {}
    return np.array([ids.setdefault(r, len(ids)) for r in roots], dtype=np.int64)


def fit_featurizer(corpus: Corpus, min_df: int = 2) -> Featurizer:
    """Vocabularies (document frequency >= min_df) and smooth idf, as TfidfVectorizer would fit them."""
    n = len(corpus.texts)
    df = Counter(w for doc in corpus.words for w in set(doc))
    words = sorted(w for w, c in df.items() if c >= min_df)
    probe = Featurizer(
        words, np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0, dtype=np.uint64), np.zeros(0)
    )
    per_doc = []
    for doc in corpus.words:
        ids, _ = probe.word_ids([doc])
        pair = (ids[:-1] >= 0) & (ids[1:] >= 0)
        per_doc.append(np.unique(ids[:-1][pair] * len(words) + ids[1:][pair]))
    bigrams, bigram_df = _frequent(per_doc, min_df)
    chars, char_df = _frequent([np.unique(c) for c in corpus.chars], min_df)
    word_df = np.concatenate([np.array([df[w] for w in words], dtype=np.float64), bigram_df])
    return Featurizer(words, bigrams, _idf(word_df, n), chars, _idf(char_df, n))


def _frequent(unique_per_doc: list[np.ndarray], min_df: int) -> tuple[np.ndarray, np.ndarray]:
    """Sorted keys present in at least min_df documents, with their document frequencies."""
    if not unique_per_doc:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    keys, counts = np.unique(np.concatenate(unique_per_doc), return_counts=True)
    keep = counts >= min_df
    return keys[keep], counts[keep].astype(np.float64)


def _idf(df: np.ndarray, n: int) -> np.ndarray:
    return (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)


def fit_linear(x: sp.csr_matrix, y: np.ndarray, labels: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """One-vs-rest NB-SVM plus a ridge classifier, each scaled to unit score spread, summed into one layer."""
    binary = (x > 0).astype(np.float32)
    nb_coef = np.zeros((x.shape[1], len(labels)), dtype=np.float64)
    nb_bias = np.zeros(len(labels))
    for k, label in enumerate(labels):
        pos = y == label
        p = np.asarray(binary[pos].sum(axis=0)).ravel() + 1.0
        q = np.asarray(binary[~pos].sum(axis=0)).ravel() + 1.0
        ratio = np.log((p / p.sum()) / (q / q.sum())).astype(np.float32)
        svm = LinearSVC(C=0.3, class_weight="balanced", random_state=SEED)
        svm.fit(sp.csr_matrix(x.multiply(ratio)), pos.astype(int))
        nb_coef[:, k] = svm.coef_.ravel() * ratio
        nb_bias[k] = svm.intercept_[0]
    ridge = RidgeClassifier(alpha=1.0, solver="sparse_cg", class_weight="balanced").fit(x, y)
    order = [list(ridge.classes_).index(lab) for lab in labels]
    ridge_coef, ridge_bias = ridge.coef_[order].T, ridge.intercept_[order]
    coef = np.zeros_like(nb_coef)
    bias = np.zeros(len(labels))
    for c, b in ((nb_coef, nb_bias), (ridge_coef, ridge_bias)):
        spread = float(np.std(np.asarray(x @ c) + b)) or 1.0
        coef += c / spread
        bias += b / spread
    return coef.astype(np.float32), bias.astype(np.float32)


def fit_scores(corpus: Corpus, train: np.ndarray, test: np.ndarray, labels: list[str]) -> np.ndarray:
    """Train on the `train` rows and return raw scores of the `test` rows."""
    part = corpus.subset(train)
    fz = fit_featurizer(part)
    coef, bias = fit_linear(part.matrix(fz), part.labels, labels)
    return np.asarray(corpus.matrix(fz, test) @ coef) + bias


def folds(corpus: Corpus, k: int, seed: int = SEED) -> list[tuple[np.ndarray, np.ndarray]]:
    """Stratified folds that keep duplicate groups together."""
    splitter = StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed)
    return list(splitter.split(corpus.labels, corpus.labels, corpus.groups))


def oof_scores(corpus: Corpus, labels: list[str], k: int) -> np.ndarray:
    """Out-of-fold raw scores: every row scored by a model that never saw it (or its duplicates)."""
    out = np.zeros((len(corpus.texts), len(labels)), dtype=np.float64)
    for train, test in folds(corpus, k):
        out[test] = fit_scores(corpus, train, test, labels)
    return out


def fit_temperature(scores: np.ndarray, y: np.ndarray, labels: list[str]) -> float:
    """Softmax temperature minimising the log-loss of out-of-fold scores."""
    idx = np.array([labels.index(v) for v in y])

    def nll(log_t: float) -> float:
        p = softmax(scores, float(np.exp(log_t)))
        return float(-np.mean(np.log(p[np.arange(len(idx)), idx] + 1e-12)))

    res = minimize_scalar(nll, bounds=(-5.0, 3.0), method="bounded")
    return float(np.exp(res.x))


def choose_threshold(conf: np.ndarray, correct: np.ndarray, target: float = TARGET_PRECISION) -> float:
    """Lowest confidence cut whose auto-routed messages reach the target precision."""
    for t in np.round(np.arange(0.0, 1.0, 0.01), 2):
        routed = conf >= t
        if routed.any() and correct[routed].mean() >= target:
            return float(t)
    return 1.0


def triage_figures(conf: np.ndarray, correct: np.ndarray, threshold: float) -> dict[str, float]:
    """Precision of auto-routed messages and the share sent to triage at a threshold."""
    routed = conf >= threshold
    return {
        "threshold": threshold,
        "auto_precision": round(float(correct[routed].mean()) if routed.any() else 0.0, 4),
        "triage_share": round(float(1 - routed.mean()), 4),
    }


def train_model(
    corpus: Corpus,
    inner_folds: int = 5,
    target: float = TARGET_PRECISION,
    meta: dict | None = None,
) -> TopicModel:
    """Fit the shipped kind of model: OOF temperature and threshold first, then the final fit on all rows."""
    labels = sorted(set(corpus.labels.tolist()))
    scores = oof_scores(corpus, labels, inner_folds)
    temperature = fit_temperature(scores, corpus.labels, labels)
    probs = softmax(scores, temperature)
    conf = probs.max(axis=1)
    pred = np.array(labels)[probs.argmax(axis=1)]
    correct = pred == corpus.labels
    threshold = choose_threshold(conf, correct, target)
    oof = metrics(corpus.labels, pred, labels)
    fz = fit_featurizer(corpus)
    coef, bias = fit_linear(corpus.matrix(fz), corpus.labels, labels)
    info = {
        "version": MODEL_VERSION,
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "n_train": len(corpus.texts),
        "labels": labels,
        "temperature": round(temperature, 4),
        "inner_oof": triage_figures(conf, correct, threshold)
        | {
            "target_precision": target,
            "folds": inner_folds,
            "ece_on_fitting_scores": expected_calibration_error(conf, correct),
        }
        | {k: oof[k] for k in ("macro_f1", "accuracy")}
        | {"f1": {lab: v["f1"] for lab, v in oof["per_class"].items()}},
        "n_features": fz.n_features,
    }
    return TopicModel(fz, coef, bias, labels, temperature, threshold, info | dict(meta or {}))
