"""Reply-quality evaluation: cross-validated agreement and the false 'weak reply' rate on a labelled file."""

from __future__ import annotations

import csv
from pathlib import Path

from minyi.insight.reply_eval import evaluate

GOOD = "经核查，已联系社区对养犬户进行劝导。依据《养犬管理条例》，社区将持续跟进。"
FORWARD = "您反映的问题已转相关部门调查处理，感谢您的留言。"


def _write(tmp_path: Path, n: int) -> tuple[Path, Path]:
    replies, labels = tmp_path / "replies.csv", tmp_path / "labels.csv"
    with replies.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "user", "title", "time", "detail", "reply", "reply_time"])
        for i in range(n):
            w.writerow(
                [
                    i,
                    "u",
                    "狗叫扰民",
                    "2019/5/6 10:00:00",
                    "夜里狗叫",
                    GOOD if i % 2 else FORWARD,
                    "2019/5/8 10:00:00",
                ]
            )
    with labels.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "complete", "explained", "split"])
        for i in range(n):
            w.writerow([i, i % 2, i % 2, "dev" if i < n // 2 else "heldout"])
    return replies, labels


def test_evaluation_agrees_and_counts_no_false_warning_on_clear_cases(tmp_path: Path) -> None:
    out = evaluate(*_write(tmp_path, 20), folds=5)
    assert out["n"] == 20 and out["complete_cv_accuracy"] == 1.0 and out["explained_cv_accuracy"] == 1.0
    assert out["false_warning_rate_complete"] == 0.0 and out["warning_rate_incomplete"] == 1.0


def test_evaluation_keeps_one_split(tmp_path: Path) -> None:
    assert evaluate(*_write(tmp_path, 20), split="heldout")["n"] == 10
