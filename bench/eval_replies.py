"""Agreement of the reply judgements with the rubric-v1 labels (bench/labels/replies_rubric_v1.csv), and false warnings.

Usage: PYTHONPATH=src .venv/bin/python bench/eval_replies.py

The labels (ids and 0/1 only) were written by docs/reply-rubric.md before the rules were changed; the rules were
then changed while reading the `dev` split only. `heldout` is the figure to quote: those labels were never read
while the rules were written. Thresholds are refit on the other folds (10-fold cross-validation); the default
thresholds are reported beside. A false warning is a reply labelled complete that `weak()` flags for its text
(lateness left out). The 50 earlier hand judgements (another judge, another notion of 'complete') are shown too.
"""

from __future__ import annotations

from pathlib import Path

from minyi.insight.reply_eval import evaluate
from minyi.settings import get_settings

LABELS = Path(__file__).with_name("labels") / "replies_rubric_v1.csv"


def main() -> None:
    data = get_settings().shared_data / "teddy2020"
    runs = [("dev", LABELS, "dev"), ("heldout", LABELS, "heldout"), ("all 220", LABELS, None)]
    runs.append(("50 earlier labels", data / "reply_labels.csv", None))
    keys = ["n", "complete_cv_accuracy", "complete_default_accuracy", "complete_base_rate",
            "explained_cv_accuracy", "explained_default_accuracy", "explained_base_rate",
            "false_warning_rate_complete", "false_warning_rate_complete_explained", "warning_rate_incomplete"]  # fmt: skip
    print("| labels | " + " | ".join(k.replace("_", " ") for k in keys) + " |")
    for name, labels, split in runs:
        out = evaluate(data / "replies.csv", labels, split=split)
        print(f"| {name} | " + " | ".join(f"{out[k]:g}" for k in keys) + " |")


if __name__ == "__main__":
    main()
