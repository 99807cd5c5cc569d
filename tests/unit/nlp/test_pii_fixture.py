"""Personal-data detector scored on the hand-built fixture set: recall and precision per kind."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from minyi.nlp import pii

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "nlp"
RECALL_FLOOR = 0.995  # issue 14 section 4: every kind, on the development cases
PRECISION_FLOOR = 0.95
POSITIVES = ("pii_cases.jsonl", "pii_cases_extra.jsonl")
NEGATIVES = ("pii_negatives.txt", "pii_negatives_extra.txt")
HELD_OUT = ("pii_holdout.jsonl", "pii_holdout_extra.jsonl", "pii_holdout3.jsonl", "pii_holdout4.jsonl")
HELD_OUT_NEGATIVES = (
    "pii_holdout_negatives.txt",
    "pii_holdout_negatives_extra.txt",
    "pii_holdout3_negatives.txt",
    "pii_holdout4_negatives.txt",
)


def read_positives(*names: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Sentences with the personal data each must yield (kind, exact text)."""
    rows = [json.loads(line) for name in names for line in (FIXTURES / name).read_text("utf-8").splitlines()]
    return [(row["text"], [(k, v) for k, v in row["spans"]]) for row in rows]


def read_negatives(*names: str) -> list[str]:
    """Sentences with no personal data ('#' starts a comment)."""
    lines = [line.strip() for name in names for line in (FIXTURES / name).read_text("utf-8").splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def load_cases() -> list[tuple[str, list[tuple[str, str]]]]:
    """Positive cases (with the expected kind and text) followed by the negatives (expect nothing)."""
    return read_positives(*POSITIVES) + [(text, []) for text in read_negatives(*NEGATIVES)]


def score() -> dict[str, dict[str, float]]:
    """Exact-match true/false positives and false negatives per kind; a span must match kind and text."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for text, expected in load_cases():
        found = Counter((s.kind, s.text) for s in pii.find(text))
        want = Counter(expected)
        for key, n in found.items():
            hit = min(n, want[key])
            tp[key[0]] += hit
            fp[key[0]] += n - hit
        for key, n in want.items():
            fn[key[0]] += n - min(n, found[key])
    table = {}
    for kind in pii.KINDS:
        t, p, n = tp[kind], fp[kind], fn[kind]
        table[kind] = {
            "support": t + n,
            "precision": t / (t + p) if t + p else 1.0,
            "recall": t / (t + n) if t + n else 1.0,
            "false_pos": p,
        }
    return table


def test_fixture_set_is_big_enough() -> None:
    cases = load_cases()
    assert sum(1 for _, e in cases if e) >= 600
    assert sum(1 for _, e in cases if not e) >= 400


def test_recall_and_precision_meet_thresholds_per_kind() -> None:
    table = score()
    for kind, row in table.items():
        assert row["support"] >= 27, kind
        assert row["recall"] >= RECALL_FLOOR, (kind, row)
        assert row["precision"] >= PRECISION_FLOOR, (kind, row)


def test_no_negative_gets_a_single_mask() -> None:
    """Dates, amounts, case and statute numbers, hotlines, road names, words that start with a surname."""
    flagged = [(t, pii.find(t)) for t in read_negatives(*NEGATIVES)]
    assert [(t, s) for t, s in flagged if s] == []


def test_held_out_cases_written_after_tuning_are_mostly_found() -> None:
    """The sets set aside while the rules were written (one card number in them fails Luhn).

    First measurement, before any fix: 38/40 (v1 set), 140/154 (extra set) and 61/69 (third set, session 3:
    7 names after 学生/由/代/我是 or before 老人/师傅, 2 WeChat ids after 加微 and vx是) and 15/68 (fourth set,
    session 4: bare names after 市民/来信人/车主, before 等, after 关于…所, in lists); see docs/benchmarks.md.
    """
    found = wanted = 0
    for text, spans in read_positives(*HELD_OUT):
        got = {(s.kind, s.text) for s in pii.find(text)}
        wanted += len(spans)
        found += sum(1 for span in spans if span in got)
    assert wanted >= 330 and found / wanted >= 0.995
    negatives = read_negatives(*HELD_OUT_NEGATIVES)
    assert len(negatives) >= 260
    assert [t for t in negatives if pii.find(t)] == []


if __name__ == "__main__":
    for k, r in score().items():
        print(f"| {k} | {r['support']} | {r['precision']:.3f} | {r['recall']:.3f} | {r['false_pos']} |")
