"""Measure reply scoring against hand labels: cross-validated agreement and the false 'weak reply' rate."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

from minyi.insight.readers import parse_local_time
from minyi.insight.replies import ReplyScore, ReplyThresholds, score_reply, weak

GRID = [round(0.2 + 0.025 * i, 3) for i in range(21)]
VERDICTS = {"complete": "completeness", "explained": "explanation"}


def _predict(s: ReplyScore, attr: str, cut: float) -> bool:
    """The verdict `attr` of a score under threshold `cut` (same rule as score_reply)."""
    return (not s.acknowledgement) and s.details["core_chars"] >= 20 and getattr(s, VERDICTS[attr]) >= cut


def _fit(scores: list[ReplyScore], truth: list[int], attr: str) -> float:
    """The threshold on the grid that agrees best with the labels (ties: nearest the default)."""
    default = getattr(ReplyThresholds(), attr)

    def hits(c: float) -> int:
        return sum(int(_predict(s, attr, c)) == y for s, y in zip(scores, truth, strict=True))

    return max(GRID, key=lambda c: (hits(c), -abs(c - default)))


def _is_content_weak(s: ReplyScore) -> bool:
    """Weak for what the reply says, leaving out lateness (which is a fact, not a judgement of the text)."""
    _, reasons = weak(replace(s, workdays=None))
    return any(not r.startswith("建议") for r in reasons)


def evaluate(
    replies_csv: str | Path, labels_csv: str | Path, *, folds: int = 10, split: str | None = None
) -> dict[str, float]:
    """Agreement of `complete`/`explained` with the labels, thresholds refit on the other folds; false warnings.

    `labels_csv` has id, complete, explained and optionally split (dev / heldout); `split` keeps one of them.
    A false warning is a reply labelled complete that `weak` flags for its content.
    """
    with open(replies_csv, encoding="utf-8-sig", newline="") as fh:
        rows = {r["id"]: r for r in csv.DictReader(fh)}
    with open(labels_csv, encoding="utf-8-sig", newline="") as fh:
        labels = [
            r for r in csv.DictReader(fh) if r["id"] in rows and (split is None or r.get("split") == split)
        ]
    scores = [
        score_reply(
            f"{rows[lab['id']]['title']}。{rows[lab['id']]['detail']}",
            rows[lab["id"]]["reply"],
            parse_local_time(rows[lab["id"]]["time"]),
            parse_local_time(rows[lab["id"]]["reply_time"]),
        )
        for lab in labels
    ]
    n = len(labels)
    k = max(2, min(folds, n))
    out: dict[str, float] = {"n": float(n), "folds": float(k)}
    for attr in VERDICTS:
        truth = [int(lab[attr]) for lab in labels]
        hits = 0
        for f in range(k):
            test = [i for i in range(n) if i % k == f]
            train = [i for i in range(n) if i % k != f]
            cut = _fit([scores[i] for i in train], [truth[i] for i in train], attr)
            hits += sum(int(_predict(scores[i], attr, cut)) == truth[i] for i in test)
        default = getattr(ReplyThresholds(), attr)
        out[f"{attr}_cv_accuracy"] = round(hits / n, 4)
        out[f"{attr}_default_accuracy"] = round(
            sum(int(_predict(s, attr, default)) == y for s, y in zip(scores, truth, strict=True)) / n, 4
        )
        out[f"{attr}_base_rate"] = round(sum(truth) / n, 4)
        out[f"{attr}_threshold_all"] = _fit(scores, truth, attr)
    complete = [s for s, lab in zip(scores, labels, strict=True) if lab["complete"] == "1"]
    good = [s for s, lab in zip(scores, labels, strict=True) if lab["complete"] == lab["explained"] == "1"]
    poor = [s for s, lab in zip(scores, labels, strict=True) if lab["complete"] == "0"]
    out["false_warning_rate_complete"] = round(
        sum(map(_is_content_weak, complete)) / max(len(complete), 1), 4
    )
    out["false_warning_rate_complete_explained"] = round(
        sum(map(_is_content_weak, good)) / max(len(good), 1), 4
    )
    out["warning_rate_incomplete"] = round(sum(map(_is_content_weak, poor)) / max(len(poor), 1), 4)
    return out
