"""Precision and recall of repeat links on hand-labelled pairs of real messages (bench/repeats_labels.csv).

Usage: .venv/bin/python bench/eval_repeats.py [--thresholds 0.3,0.4,0.5,0.6,0.7]

The labels were made by reading pairs drawn from teddy2020/messages_with_votes.csv, stratified by the exact
Jaccard similarity of their 3-character shingles (strata [0.1,0.2) ... [0.9,1.0]) plus pairs by the same user
with Jaccard < 0.1. label 1 = the same specific matter (same place/entity, same request) AND either the same
user or largely copied text; 0 = independent messages (templates reused for another place count as 0).
Each sampled pair stands for stratum_pairs / sampled pairs of its stratum, so figures are weighted estimates.
Pairs by different users with Jaccard < 0.1 were not sampled (assumed not repeats: recall is an upper bound).
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from minyi.nlp import repeats
from minyi.settings import get_settings

LABELS = Path(__file__).with_name("repeats_labels.csv")


def load_messages() -> dict[str, dict[str, str]]:
    path = get_settings().shared_data / "teddy2020" / "messages_with_votes.csv"
    if not path.exists():
        sys.exit(f"real data not found at {path} (set MINYI_SHARED_DATA)")
    with path.open(encoding="utf-8") as f:
        return {r["id"]: r for r in csv.DictReader(f)}


def weighted_pr(rows: list[tuple[bool, bool, float]]) -> tuple[float, float]:
    """Precision and recall from (predicted, label, weight) triples."""
    tp = sum(w for p, y, w in rows if p and y)
    fp = sum(w for p, y, w in rows if p and not y)
    fn = sum(w for p, y, w in rows if y and not p)
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--thresholds", default="0.3,0.4,0.5,0.6,0.7")
    args = parser.parse_args()
    msgs = load_messages()
    with LABELS.open(encoding="utf-8") as f:
        labels = list(csv.DictReader(f))
    per_stratum = Counter(r["stratum"] for r in labels)
    sigs: dict[str, np.ndarray] = {}
    for r in labels:
        for key in ("id_a", "id_b"):
            m = msgs[r[key]]
            sigs.setdefault(r[key], repeats.signature(m["title"] + "\n" + m["detail"]))
    scored = []
    for r in labels:
        a, b = sigs[r["id_a"]], sigs[r["id_b"]]
        candidate = bool(set(repeats.band_keys(a)) & set(repeats.band_keys(b)))
        weight = int(r["stratum_pairs"]) / per_stratum[r["stratum"]]
        scored.append((candidate, repeats.similarity(a, b), r["label"] == "1", weight, r["same_user"] == "1"))
    print(
        f"labelled pairs: {len(labels)} ({sum(s[2] for s in scored)} repeats); "
        f"bands={repeats.BANDS} rows={repeats.ROWS} REPEAT_THRESHOLD={repeats.REPEAT_THRESHOLD}"
    )
    print("threshold | precision | recall | 90% bootstrap precision | links in sample (wrong)")
    rng = random.Random(0)
    for th in [float(x) for x in args.thresholds.split(",")]:
        rows = [(c and s >= th, y, w) for c, s, y, w, _ in scored]
        p, rec = weighted_pr(rows)
        boots = sorted(weighted_pr([rng.choice(rows) for _ in rows])[0] for _ in range(1000))
        links = sum(1 for pr, _, _ in rows if pr)
        wrong = sum(1 for pr, y, _ in rows if pr and not y)
        mark = "  <- REPEAT_THRESHOLD" if th == repeats.REPEAT_THRESHOLD else ""
        print(f"{th:.2f} | {p:.3f} | {rec:.3f} | {boots[50]:.3f}-{boots[949]:.3f} | {links} ({wrong}){mark}")
    by_stratum: dict[str, list[int]] = {}
    for (c, s, y, _, _), r in zip(scored, labels, strict=True):
        row = by_stratum.setdefault(r["stratum"], [0, 0, 0])
        row[0] += 1
        row[1] += y
        row[2] += c and s >= repeats.REPEAT_THRESHOLD
    same_rows = [
        ((c and s >= repeats.REPEAT_THRESHOLD) or (su and s >= repeats.SAME_USER_THRESHOLD), y, w)
        for c, s, y, w, su in scored
    ]
    p, rec = weighted_pr(same_rows)
    print(
        f"with SAME_USER_THRESHOLD={repeats.SAME_USER_THRESHOLD} for pairs by the same user: "
        f"precision {p:.3f}, recall {rec:.3f}"
    )
    print("stratum | sampled | repeats | linked at threshold")
    for k, (n, y, linked) in by_stratum.items():
        print(f"{k} | {n} | {y} | {linked}")
    index = repeats.RepeatIndex()
    ordered = sorted(msgs.values(), key=lambda m: (m["time"], m["id"]))
    linked_msgs = 0
    t0 = time.perf_counter()
    for m in ordered:
        text = m["title"] + "\n" + m["detail"]
        sig = repeats.signature(text)
        if index.query_signature(sig, m["user"]):
            linked_msgs += 1
        index.add_signature(m["id"], sig, m["user"])
    dt = time.perf_counter() - t0
    print(
        f"whole file: {linked_msgs} of {len(ordered)} messages repeat an earlier one (same-user rule on) "
        f"({dt / len(ordered) * 1e6:.0f} µs per message for signature + query + add)"
    )


if __name__ == "__main__":
    main()
