"""Agreement of the emotion score with the hand-labelled citizen messages (calm / dissatisfied / angry).

The score maps to a label by a rule fixed before scoring (docs/emotion-rubric.md): calm below the score's
own negative cut, else angry at intensity >= ANGRY_AT, else dissatisfied.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr
from sklearn.metrics import cohen_kappa_score, confusion_matrix

from minyi.nlp import emotion

LABELS = ["calm", "dissatisfied", "angry"]
ANGRY_AT = 0.5
DATA = Path(__file__).resolve().parent / "labels" / "citizen_emotion_e1.csv"


def label_of(e: emotion.Emotion) -> str:
    """The three-way label of a score by the fixed rule."""
    if e.negativity < emotion.NEGATIVE_AT:
        return "calm"
    return "angry" if e.intensity >= ANGRY_AT else "dissatisfied"


def main() -> None:
    """Print agreement, Cohen's kappa, the confusion matrix and rank correlations as JSON."""
    with DATA.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    scores = [emotion.score(r["text"]) for r in rows]
    truth = [r["label"] for r in rows]
    pred = [label_of(s) for s in scores]
    rank = [LABELS.index(t) for t in truth]
    out = {
        "n": len(rows),
        "agreement": round(float(np.mean([a == b for a, b in zip(truth, pred, strict=True)])), 4),
        "kappa": round(float(cohen_kappa_score(truth, pred, labels=LABELS)), 4),
        "confusion_rows_true": dict(
            zip(LABELS, confusion_matrix(truth, pred, labels=LABELS).tolist(), strict=True)
        ),
        "spearman_negativity": round(float(spearmanr(rank, [s.negativity for s in scores])[0]), 4),
        "spearman_intensity": round(float(spearmanr(rank, [s.intensity for s in scores])[0]), 4),
        "mean_by_label": {
            lab: {
                "negativity": round(
                    float(np.mean([s.negativity for s, t in zip(scores, truth, strict=True) if t == lab])), 3
                ),
                "intensity": round(
                    float(np.mean([s.intensity for s, t in zip(scores, truth, strict=True) if t == lab])), 3
                ),
            }
            for lab in LABELS
        },
    }
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
