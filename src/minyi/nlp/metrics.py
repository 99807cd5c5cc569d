"""Classification metrics and calibration error, for training and evaluation alike."""

from __future__ import annotations

import numpy as np


def metrics(y_true: np.ndarray, y_pred: np.ndarray, labels: list[str]) -> dict:
    """Per-class precision/recall/F1, the confusion matrix (rows true, columns predicted) and macro-F1."""
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    per_class = {
        lab: {
            "precision": round(float(p[i]), 4),
            "recall": round(float(r[i]), 4),
            "f1": round(float(f[i]), 4),
            "support": int(s[i]),
        }
        for i, lab in enumerate(labels)
    }
    return {
        "labels": labels,
        "per_class": per_class,
        "confusion": confusion_matrix(y_true, y_pred, labels=labels).tolist(),
        "accuracy": round(float(np.mean(y_true == y_pred)), 4),
        "macro_f1": round(float(np.mean(f)), 4),
        "n": len(y_true),
    }


def expected_calibration_error(conf: np.ndarray, correct: np.ndarray, bins: int = 10) -> float:
    """Mean gap between confidence and accuracy over equal-width confidence bins, weighted by size."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        sel = (conf > lo) & (conf <= hi)
        if sel.any():
            total += sel.mean() * abs(float(conf[sel].mean()) - float(correct[sel].mean()))
    return round(total, 4)
