"""Evaluating the topic model honestly: held-out metrics, grouped cross-validation, a baseline, calibration."""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from minyi.nlp.metrics import expected_calibration_error, metrics
from minyi.nlp.topic import TopicModel, prepare, softmax
from minyi.nlp.train import Corpus, folds, train_model, triage_figures


def evaluate_model(model: TopicModel, corpus: Corpus) -> dict:
    """Figures of a trained model on a labelled corpus, at the model's own threshold."""
    folded = [prepare(t) for t in corpus.texts]
    probs = softmax(model.scores_folded(folded), model.temperature)
    pred = np.array(model.labels)[probs.argmax(axis=1)]
    out = metrics(corpus.labels, pred, model.labels)
    out["triage"] = triage_figures(probs.max(axis=1), pred == corpus.labels, model.threshold)
    out["mode"] = "shipped-model"
    return out


def cross_validate(corpus: Corpus, k: int = 5, inner_folds: int = 3) -> dict:
    """Honest figure: k stratified duplicate-grouped folds, a fresh model (own calibration) per fold."""
    labels = sorted(set(corpus.labels.tolist()))
    pred = np.empty(len(corpus.texts), dtype=object)
    conf = np.zeros(len(corpus.texts))
    thresholds = []
    row_threshold = np.zeros(len(corpus.texts))
    for train, test in folds(corpus, k):
        model = train_model(corpus.subset(train), inner_folds=inner_folds)
        scores = np.asarray(corpus.matrix(model.featurizer, test) @ model.coef) + model.intercept
        probs = softmax(scores, model.temperature)
        pred[test] = np.array(labels)[probs.argmax(axis=1)]
        conf[test] = probs.max(axis=1)
        thresholds.append(model.threshold)
        row_threshold[test] = model.threshold
    out = metrics(corpus.labels, pred.astype(str), labels)
    correct = pred == corpus.labels
    # each fold's own threshold (chosen by its inner CV) decides triage for that fold's test rows
    routed = conf >= row_threshold
    out["triage"] = {
        "threshold": round(float(np.mean(thresholds)), 4),
        "auto_precision": round(float(correct[routed].mean()) if routed.any() else 0.0, 4),
        "triage_share": round(float(1 - routed.mean()), 4),
        "ece": expected_calibration_error(conf, correct),
    }
    out["fold_thresholds"] = thresholds
    out["mode"] = f"{k}-fold-cv"
    return out


def baseline_cv(corpus: Corpus, k: int = 5) -> dict:
    """Reference: character 1-3-gram tf-idf with a linear SVM, same folds."""
    labels = sorted(set(corpus.labels.tolist()))
    pred = np.empty(len(corpus.texts), dtype=object)
    for train, test in folds(corpus, k):
        vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
        x = vec.fit_transform([corpus.texts[i] for i in train])
        svm = LinearSVC().fit(x, corpus.labels[train])
        pred[test] = svm.predict(vec.transform([corpus.texts[i] for i in test]))
    out = metrics(corpus.labels, pred.astype(str), labels)
    out["mode"] = f"baseline-{k}-fold-cv"
    return out
