"""The learning loop: staff corrections of the topic become training rows; a candidate is shadow-evaluated.

Pure of the web and the database: the caller reads the corrections (cases/learning_data.py) and stores the
decision (nlp/registry.py). The held-out test set is a fixed share of the shipped labelled file chosen by a hash
of each duplicate group, so every candidate, and the reference it is compared with, is scored on the same rows,
and no correction that repeats a test message is trained on.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol, TypeVar

import numpy as np

from minyi.nlp import train as tr
from minyi.nlp.evaluate import evaluate_model
from minyi.nlp.topic import TopicModel

TEST_SHARE = 0.2  # a fifth of the labelled file is never trained on: the shadow-evaluation set
TOLERANCE = 0.0  # "not worse": the candidate's macro-F1 may not fall below the reference's
_SQUEEZE = re.compile(r"\W+")


@dataclass(frozen=True)
class Correction:
    """One staff correction of a case's topic: the training row and its provenance."""

    case_id: int
    text: str
    label: str  # first-level topic name, as the model predicts it
    actor_id: int | None
    at: datetime
    model_version: str | None  # the model that made the prediction staff corrected


def held_out_split(texts: list[str], share: float = TEST_SHARE) -> np.ndarray:
    """Boolean mask of test rows: a group of duplicates is wholly in or out, decided by a hash of its text."""
    groups = tr.duplicate_groups(texts)
    key: dict[int, str] = {}
    for g, text in zip(groups.tolist(), texts, strict=True):
        digest = hashlib.sha256(_SQUEEZE.sub("", text).encode("utf-8")).hexdigest()
        key[g] = min(key.get(g, digest), digest)
    cut = int(share * 10_000)
    chosen = {g for g, d in key.items() if int(d[:8], 16) % 10_000 < cut}
    return np.array([g in chosen for g in groups.tolist()], dtype=bool)


class _CaseRow(Protocol):
    @property
    def case_id(self) -> int: ...
    @property
    def at(self) -> datetime: ...


RowT = TypeVar("RowT", bound=_CaseRow)


def latest_per_case(corrections: list[RowT]) -> list[RowT]:
    """One row per case: a later correction replaces an earlier one (staff changed their mind)."""
    by_case: dict[int, RowT] = {}
    for c in sorted(corrections, key=lambda c: c.at):
        by_case[c.case_id] = c
    return sorted(by_case.values(), key=lambda c: c.case_id)


@dataclass
class RetrainResult:
    """A trained candidate, its figures and the reference's on the same test rows, and the decision."""

    candidate: TopicModel
    candidate_figures: dict
    reference_figures: dict
    reference: str
    promote: bool
    n_base: int
    n_corrections: int
    n_dropped: int


def training_corpus(
    base_texts: list[str], base_labels: list[str], corrections: list[Correction], labels: list[str]
) -> tuple[tr.Corpus, tr.Corpus, int]:
    """(training corpus, test corpus, corrections dropped): base minus the held-out rows, plus corrections.

    A correction is dropped when its label is not one the model knows, or its text repeats a test message.
    """
    test_mask = held_out_split(base_texts)
    test_keys = {_SQUEEZE.sub("", t)[:200] for t, m in zip(base_texts, test_mask, strict=True) if m}
    kept = [
        c
        for c in latest_per_case(corrections)
        if c.label in labels and _SQUEEZE.sub("", c.text)[:200] not in test_keys
    ]
    train_texts = [t for t, m in zip(base_texts, test_mask, strict=True) if not m] + [c.text for c in kept]
    train_labels = [y for y, m in zip(base_labels, test_mask, strict=True) if not m] + [c.label for c in kept]
    test_texts = [t for t, m in zip(base_texts, test_mask, strict=True) if m]
    test_labels = [y for y, m in zip(base_labels, test_mask, strict=True) if m]
    n_dropped = len(latest_per_case(corrections)) - len(kept)
    return (
        tr.Corpus(train_texts, np.array(train_labels)),
        tr.Corpus(test_texts, np.array(test_labels)),
        n_dropped,
    )


def figures(model: TopicModel, test: tr.Corpus) -> dict:
    """The short figures kept per version: macro-F1, accuracy and triage on the held-out rows."""
    m = evaluate_model(model, test)
    return {"macro_f1": m["macro_f1"], "accuracy": m["accuracy"], "n": m["n"], "triage": m["triage"]}


def retrain(
    base_texts: list[str],
    base_labels: list[str],
    corrections: list[Correction],
    *,
    active: TopicModel | None,
    active_figures: dict | None,
    version: str,
    inner_folds: int = 5,
) -> RetrainResult:
    """Train a candidate on base (less the test rows) plus corrections, and decide whether to promote it.

    The reference is the active registered model's figures on the same test rows when there is one (it was
    scored on them when it was promoted and never trained on them); otherwise a model trained the same way
    on the base rows alone, so that the shipped model, which saw every labelled row, is never the yardstick.
    """
    labels = sorted(set(base_labels))
    train, test, dropped = training_corpus(base_texts, base_labels, corrections, labels)
    n_corr = len(train.texts) - int((~held_out_split(base_texts)).sum())
    meta = {
        "version": version,
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "n_corrections": n_corr,
    }
    candidate = tr.train_model(train, inner_folds=inner_folds, meta=meta)
    cand = figures(candidate, test)
    if active is not None and active_figures is not None:
        ref, ref_name = active_figures, active.version
    else:
        base_only, _, _ = training_corpus(base_texts, base_labels, [], labels)
        ref = figures(tr.train_model(base_only, inner_folds=inner_folds), test)
        ref_name = "base-only"
    promote = cand["macro_f1"] >= ref["macro_f1"] - TOLERANCE
    candidate.meta["held_out"] = cand
    n_base = len(train.texts) - n_corr
    return RetrainResult(candidate, cand, ref, ref_name, promote, n_base, n_corr, dropped)
