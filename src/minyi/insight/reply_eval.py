"""Measure reply scoring against hand judgements, leave-one-out over the decision thresholds."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

from minyi.insight.readers import parse_local_time
from minyi.insight.replies import ReplyScore, ReplyThresholds, score_reply

GRID = [round(0.2 + 0.025 * i, 3) for i in range(21)]


def _fit(scores: list[ReplyScore], truth: list[int], attr: str) -> float:
    def acc(c: float) -> int:
        comp = "completeness" if attr == "complete" else "explanation"
        if attr == "complete":
            pred = [
                (not s.acknowledgement)
                and (
                    (s.details["questions"] >= 1 and s.details["substance_chars"] >= 40)
                    or getattr(s, comp) >= c
                )
                for s in scores
            ]
        else:
            pred = [(not s.acknowledgement) and getattr(s, comp) >= c for s in scores]
        return sum(int(p) == y for p, y in zip(pred, truth, strict=True))

    return max(GRID, key=lambda c: (acc(c), -abs(c - 0.45)))


def evaluate(replies_csv: str | Path, labels_csv: str | Path) -> dict[str, float]:
    """Leave-one-out accuracy of `complete` and `explained` on the labelled replies (thresholds refit per fold)."""
    with open(replies_csv, encoding="utf-8-sig", newline="") as fh:
        rows = {r["id"]: r for r in csv.DictReader(fh)}
    with open(labels_csv, encoding="utf-8-sig", newline="") as fh:
        labels = [r for r in csv.DictReader(fh) if r["id"] in rows]
    scores = []
    for lab in labels:
        r = rows[lab["id"]]
        scores.append(
            score_reply(
                f"{r['title']}。{r['detail']}",
                r["reply"],
                parse_local_time(r["time"]),
                parse_local_time(r["reply_time"]),
            )
        )
    out: dict[str, float] = {"n": float(len(labels))}
    for attr in ("complete", "explained"):
        truth = [int(lab[attr]) for lab in labels]
        hits = 0
        for i in range(len(labels)):
            rest = [j for j in range(len(labels)) if j != i]
            c = _fit([scores[j] for j in rest], [truth[j] for j in rest], attr)
            t = (
                replace(ReplyThresholds(), complete=c)
                if attr == "complete"
                else replace(ReplyThresholds(), explained=c)
            )
            r = rows[labels[i]["id"]]
            s = score_reply(f"{r['title']}。{r['detail']}", r["reply"], thresholds=t)
            hits += int(getattr(s, attr)) == truth[i]
        out[f"{attr}_loo_accuracy"] = hits / len(labels)
        out[f"{attr}_base_rate"] = sum(truth) / len(truth)
        out[f"{attr}_threshold_all"] = _fit(scores, truth, attr)
    return out
