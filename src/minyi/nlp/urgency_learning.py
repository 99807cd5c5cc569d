"""Urgency that learns from staff corrections: a small model over the rules' own flags and the text.

The rules (nlp/urgency.py) stay the starting point and the fallback. A retrained urgency model reads the rules'
flag scores and verdict plus hashed character n-grams, and is fitted on (a) the labelled messages with the
rules' verdict as a weak label and (b) the staff corrections of urgency, each weighted CORRECTION_WEIGHT.
Shadow evaluation needs human truth, which only corrections are: a fixed share of corrected cases (chosen by a
hash of the case id, so a case is always on the same side) is never trained on, and candidate and reference
(the active urgency model, or the rules alone) are both scored on it now. Pure: no database, no web.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from minyi.nlp import urgency
from minyi.nlp.learning import latest_per_case
from minyi.nlp.text import normalize

N_FEATURES = 2**16
CORRECTION_WEIGHT = 5.0  # a staff judgement on a real case outweighs a rule's verdict on an old message
TEST_SHARE = 0.3  # of corrected cases, never trained on: the shadow-evaluation set
MIN_HELD_OUT = 10  # fewer held-out corrections than this decide nothing: the candidate is not promoted
RULES = "rules"


@dataclass(frozen=True)
class UrgencyCorrection:
    """One staff correction of a case's urgency: the training row and its provenance."""

    case_id: int
    text: str
    urgent: bool
    actor_id: int | None
    at: datetime
    model_version: str | None  # the urgency model (or "rules") whose verdict staff corrected


def _rule_features(text: str) -> list[float]:
    flags = urgency.detect(text)
    scores = {f.flag: f.score for f in flags}
    return [min(scores.get(f, 0.0), 3.0) / 3.0 for f in urgency.FLAGS] + [float(urgency.is_urgent(flags))]


def features(texts: list[str]) -> sp.csr_matrix:
    """Hashed character 1-3-grams (l2-normalised) beside the rules' flag scores and verdict."""
    from sklearn.feature_extraction.text import HashingVectorizer

    hashed = HashingVectorizer(
        analyzer="char", ngram_range=(1, 3), n_features=N_FEATURES, alternate_sign=False
    ).transform([normalize(t) for t in texts])
    rules = sp.csr_matrix(np.array([_rule_features(t) for t in texts], dtype=np.float64))
    return sp.hstack([hashed, rules * 4.0], format="csr")


@dataclass
class UrgencyModel:
    """A linear model over `features`; urgent when the probability reaches 0.5."""

    coef: np.ndarray
    bias: float
    version: str
    meta: dict

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """Probability that each text is urgent."""
        z = features(texts) @ self.coef + self.bias
        return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -30, 30))))

    def is_urgent(self, text: str) -> bool:
        """The model's verdict on one message."""
        return bool(self.probabilities([text])[0] >= 0.5)

    def save(self, folder: Path) -> None:
        """Write urgency.npz and urgency.json into the folder."""
        folder.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            folder / "urgency.npz", coef=self.coef.astype(np.float32), bias=np.array([self.bias])
        )
        (folder / "urgency.json").write_text(
            json.dumps({"version": self.version, **self.meta}, indent=2), "utf-8"
        )

    @classmethod
    def load(cls, folder: Path) -> UrgencyModel:
        """Read a model written by `save`."""
        meta = json.loads((folder / "urgency.json").read_text("utf-8"))
        with np.load(folder / "urgency.npz") as z:
            return cls(z["coef"].astype(np.float64), float(z["bias"][0]), str(meta.pop("version")), meta)


def held_out(case_id: int, share: float = TEST_SHARE) -> bool:
    """Whether a corrected case belongs to the shadow-evaluation set (stable: a hash of its id)."""
    digest = hashlib.sha256(f"urgency-{case_id}".encode()).hexdigest()
    return int(digest[:8], 16) % 10_000 < int(share * 10_000)


def fit(texts: list[str], labels: list[bool], weights: list[float], version: str, meta: dict) -> UrgencyModel:
    """Weighted logistic regression on `features`."""
    from sklearn.linear_model import LogisticRegression

    y = np.array(labels, dtype=int)
    if len(set(y.tolist())) < 2:  # one class only: a constant model (cannot happen with the rules' base rows)
        return UrgencyModel(np.zeros(N_FEATURES + 6), 30.0 if y.all() else -30.0, version, meta)
    lr = LogisticRegression(C=4.0, max_iter=2000).fit(features(texts), y, sample_weight=np.array(weights))
    return UrgencyModel(lr.coef_.ravel(), float(lr.intercept_[0]), version, meta)


def macro_f1(truth: list[bool], said: list[bool]) -> float:
    """Macro-F1 over urgent / not urgent (0 when there is nothing to score)."""
    from sklearn.metrics import f1_score

    if not truth:
        return 0.0
    return float(f1_score(truth, said, labels=[True, False], average="macro", zero_division=0))


@dataclass
class UrgencyRetrain:
    """A trained candidate, its held-out figure and the reference's on the same rows, and the decision."""

    candidate: UrgencyModel
    figures: dict
    reference: str
    reference_figures: dict
    promote: bool


def retrain(
    base_texts: list[str], corrections: list[UrgencyCorrection], *, active: UrgencyModel | None, version: str
) -> UrgencyRetrain:
    """Train a candidate on the base rows (the rules' verdicts) plus the training corrections; promote it only
    when it has enough held-out corrections and its macro-F1 on them is not below the reference's."""
    rows = latest_per_case(corrections)
    test = [c for c in rows if held_out(c.case_id)]
    train = [c for c in rows if not held_out(c.case_id)]
    texts = list(base_texts) + [c.text for c in train]
    labels = [urgency.is_urgent(urgency.detect(t)) for t in base_texts] + [c.urgent for c in train]
    weights = [1.0] * len(base_texts) + [CORRECTION_WEIGHT] * len(train)
    meta = {"trained_at": datetime.now(UTC).isoformat(timespec="seconds"), "n_corrections": len(train)}
    candidate = fit(texts, labels, weights, version, meta)
    truth = [c.urgent for c in test]
    test_texts = [c.text for c in test]
    said = [bool(p >= 0.5) for p in candidate.probabilities(test_texts)] if test else []
    if active is not None:
        ref_said = [bool(p >= 0.5) for p in active.probabilities(test_texts)] if test else []
        reference = active.version
    else:
        ref_said = [urgency.is_urgent(urgency.detect(t)) for t in test_texts]
        reference = RULES
    figures = {"macro_f1": round(macro_f1(truth, said), 4), "n": len(test)}
    ref_figures = {"macro_f1": round(macro_f1(truth, ref_said), 4), "n": len(test)}
    promote = len(test) >= MIN_HELD_OUT and figures["macro_f1"] >= ref_figures["macro_f1"]
    candidate.meta["held_out"] = figures
    return UrgencyRetrain(candidate, figures, reference, ref_figures, promote)
