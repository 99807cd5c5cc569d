"""Simulate the learning loop: labelled messages arrive as staff corrections; retrain at intervals; macro-F1.

A fixed, duplicate-grouped test split (20 %) is never trained on. A small base split plays the shipped labelled
data; the rest is a stream of corrections in random order. After each step the model is retrained from scratch
(base + corrections so far, the shipped training method without calibration) and scored on the test split.
"""

from __future__ import annotations

import argparse
import json
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from minyi.nlp import train as tr  # noqa: E402
from minyi.nlp.learning import held_out_split  # noqa: E402
from minyi.nlp.metrics import metrics  # noqa: E402
from minyi.settings import get_settings  # noqa: E402


def main() -> None:
    """Print one JSON line per step: corrections seen, training rows, macro-F1 and accuracy on the test split."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", type=int, default=500, help="rows of the base split")
    parser.add_argument("--steps", default="0,100,250,500,1000,2000,all")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    rows = tr.read_messages(get_settings().shared_data / "teddy2020" / "messages_labelled.csv")
    corpus = tr.Corpus([tr.message_text(r) for r in rows], np.array([r["label"] for r in rows]))
    labels = sorted(set(corpus.labels.tolist()))
    test_mask = held_out_split(corpus.texts)
    rest = np.flatnonzero(~test_mask)
    test = np.flatnonzero(test_mask)
    rng = np.random.default_rng(args.seed)
    rest = rest[rng.permutation(len(rest))]
    base, stream = rest[: args.base], rest[args.base :]
    test_corpus = corpus.subset(test)
    for step in args.steps.split(","):
        n = len(stream) if step == "all" else min(int(step), len(stream))
        train_rows = np.concatenate([base, stream[:n]])
        start = time.perf_counter()
        part = corpus.subset(train_rows)
        fz = tr.fit_featurizer(part)
        coef, bias = tr.fit_linear(part.matrix(fz), part.labels, labels)
        pred = np.array(labels)[(np.asarray(test_corpus.matrix(fz) @ coef) + bias).argmax(axis=1)]
        m = metrics(test_corpus.labels, pred, labels)
        out = {
            "corrections": n,
            "train_rows": len(train_rows),
            "test_rows": len(test),
            "macro_f1": m["macro_f1"],
            "accuracy": m["accuracy"],
            "fit_s": round(time.perf_counter() - start, 1),
        }
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
