"""How negative and how intense a message is: a small polarity model plus an extendable intensity lexicon."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from minyi.nlp import segment
from minyi.nlp.text import normalize

MODEL_DIR = Path(__file__).resolve().parent / "model"
LEXICON_DIR = Path(__file__).resolve().parent / "lexicons"
SENTIMENT_FILE = "sentiment.npz"
SENTIMENT_VERSION = "sentiment-nblr-domainaug-1"
EMOTION_CHARS = 1_500  # both the model and the lexicon read the head of a message: bounded cost
NEGATIVE_AT = 0.7  # negativity at or above this is labelled negative
POSITIVE_BELOW = 0.4  # negativity below this is labelled positive
_EXCLAIM = re.compile(r"[!！]{1,}|[?？]{2,}")


@dataclass(frozen=True)
class Emotion:
    """Negativity and intensity in 0..1, a coarse label, and the intensity words that were found."""

    negativity: float
    intensity: float
    label: str
    words: list[str]


def sentiment_features(folded: str) -> list[str]:
    """Tokens the polarity model reads: jieba words and character 1-3-grams."""
    return segment.words(folded) + segment.char_ngrams(folded, 1, 3)


class SentimentModel:
    """Binary polarity (1 = positive): sublinear tf-idf, l2-normalised, one weight vector.

    Trained with domain-augmented features (each token also as `@<domain>token`, one domain per corpus);
    text from an unseen domain, such as a citizen message, is scored as the mean logit over the domains.
    """

    def __init__(
        self,
        vocab: list[str],
        idf: np.ndarray,
        coef: np.ndarray,
        bias: float,
        domains: int = 0,
        score_domain: int = -1,
        score_shift: float = 0.0,
    ):
        self.vocab, self.idf, self.coef = list(vocab), np.asarray(idf), np.asarray(coef)
        self.bias = float(bias)
        self.domains = int(domains)
        self.score_domain = int(
            score_domain
        )  # the domain a message is scored from; -1: the mean over domains
        self.score_shift = float(score_shift)  # logit shift (prior) applied when scoring from that domain
        # One row per shared token: idf and weight of the token itself, then of its `@g` copy per domain.
        index = dict(zip(self.vocab, range(len(self.vocab)), strict=True))
        shared = [i for i, t in enumerate(self.vocab) if not t.startswith("@")]
        # Tokens of up to three characters are looked up as exact integer keys (fast, vectorised); longer
        # words through a dict. A word and a character n-gram spelled alike are one token, as in training.
        names = [self.vocab[i] for i in shared]
        short = [(_key(t), row) for row, t in enumerate(names) if len(t) <= 3]
        short.sort()
        self.short_keys = np.array([k for k, _ in short], dtype=np.uint64)
        self.short_rows = np.array([r for _, r in short], dtype=np.int64)
        self.long_words = {t: row for row, t in enumerate(names) if len(t) > 3}
        self.table = np.zeros((len(shared), 2 + 2 * self.domains), dtype=np.float64)
        self.table[:, 0], self.table[:, 1] = self.idf[shared], self.coef[shared]
        for g in range(self.domains):
            for row, i in enumerate(shared):
                j = index.get(f"@{g}{self.vocab[i]}")
                if j is not None:
                    self.table[row, 2 + 2 * g : 4 + 2 * g] = (self.idf[j], self.coef[j])

    def logits(self, folded: str) -> np.ndarray:
        """Linear score of folded text as seen from each training domain (one value if none); NaN if unknown."""
        words = segment.words(folded)
        keys = np.concatenate(
            [
                segment.char_keys([folded], 3)[0],
                np.array([_key(w) for w in words if len(w) <= 3], dtype=np.uint64),
            ]
        )
        rows = [self.long_words.get(w, -1) for w in words if len(w) > 3]
        if len(self.short_keys):
            pos = np.minimum(np.searchsorted(self.short_keys, keys), len(self.short_keys) - 1)
            rows_arr = np.concatenate(
                [self.short_rows[pos[self.short_keys[pos] == keys]], np.array(rows, dtype=np.int64)]
            )
        else:
            rows_arr = np.array(rows, dtype=np.int64)
        rows_arr = rows_arr[rows_arr >= 0]
        if not len(rows_arr):
            return np.full(max(self.domains, 1), np.nan)
        idx, counts = np.unique(rows_arr, return_counts=True)
        tf = 1.0 + np.log(counts)
        part = self.table[idx]
        own = tf * part[:, 0]
        out = []
        for g in range(self.domains) if self.domains else [None]:
            dot, norm = float(own @ part[:, 1]), float(own @ own)
            if g is not None:
                dom = tf * part[:, 2 + 2 * g]
                dot, norm = dot + float(dom @ part[:, 3 + 2 * g]), norm + float(dom @ dom)
            out.append(dot / math.sqrt(norm) + self.bias)
        return np.array(out)

    def positive_probability(self, folded: str, domain: int | None = None) -> float:
        """Probability that folded text is positive, seen from `domain` (default: the model's scoring domain, or the
        mean logit over domains when it has none); 0.5 if unknown."""
        logits = self.logits(folded)
        if np.isnan(logits[0]):
            return 0.5
        shift = 0.0
        if domain is None and self.score_domain >= 0:
            domain, shift = self.score_domain, self.score_shift
        z = float(logits[domain] if domain is not None else logits.mean()) + shift
        return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))

    def save(self, path: Path) -> None:
        """Write vocabulary, idf and weights as compressed numpy."""
        np.savez_compressed(
            path,
            vocab=np.frombuffer("\n".join(self.vocab).encode("utf-8"), dtype=np.uint8),
            idf=self.idf.astype(np.float32),
            coef=self.coef.astype(np.float32),
            bias=np.array([self.bias, self.domains, self.score_domain, self.score_shift]),
        )

    @classmethod
    def load(cls, path: Path) -> SentimentModel:
        """Read a model written by `save`."""
        with np.load(path) as z:
            vocab = bytes(z["vocab"]).decode("utf-8").split("\n")
            head = z["bias"]
            score_domain = int(head[2]) if len(head) > 2 else -1
            shift = float(head[3]) if len(head) > 3 else 0.0
            return cls(vocab, z["idf"], z["coef"], float(head[0]), int(head[1]), score_domain, shift)


def _key(token: str) -> int:
    """Exact integer key of a token of up to three characters (the packing of segment.char_keys)."""
    key = 0
    for ch in token:
        key = (key << 21) | ord(ch)
    return key


@dataclass(frozen=True)
class Lexicon:
    """Intensity words (anger, despair, distress) with weights, matched as substrings, longest first."""

    entries: dict[str, tuple[str, float]]
    pattern: re.Pattern[str] | None

    @classmethod
    def from_files(cls, paths: list[Path]) -> Lexicon:
        """Read `word<TAB>category<TAB>weight` lines; `#` starts a comment; later files override earlier."""
        entries: dict[str, tuple[str, float]] = {}
        for path in paths:
            for line in path.read_text("utf-8").splitlines():
                parts = line.split("#", 1)[0].split("\t")
                if len(parts) >= 3 and parts[0].strip():
                    word = normalize(parts[0].strip())
                    entries[word] = (parts[1].strip(), min(max(float(parts[2]), 0.0), 1.0))
        if not entries:
            return cls({}, None)
        alternation = "|".join(re.escape(w) for w in sorted(entries, key=len, reverse=True))
        return cls(entries, re.compile(alternation))

    def find(self, text: str) -> list[str]:
        """Lexicon words present in normalised text, in order of appearance (repeats kept)."""
        return self.pattern.findall(text) if self.pattern else []


@lru_cache(maxsize=1)
def get_lexicon() -> Lexicon:
    """Every `emotion*.tsv` in the lexicon folder, so administrators extend it by dropping in a file."""
    return Lexicon.from_files(sorted(LEXICON_DIR.glob("emotion*.tsv")))


@lru_cache(maxsize=1)
def get_sentiment_model() -> SentimentModel | None:
    """The shipped polarity model, or None if it is missing."""
    path = MODEL_DIR / SENTIMENT_FILE
    return SentimentModel.load(path) if path.exists() else None


def intensity_of(found: list[str], exclaims: int, lexicon: Lexicon) -> float:
    """Saturating sum of lexicon weights (each word counted at most twice) and emphatic punctuation."""
    seen: Counter[str] = Counter()
    total = 0.0
    for word in found:
        seen[word] += 1
        if seen[word] <= 2:
            total += lexicon.entries[word][1] * (1.0 if seen[word] == 1 else 0.5)
    total += 0.1 * min(exclaims, 5)
    return 1.0 - math.exp(-total)


def score(text: str | None) -> Emotion:
    """Negativity (model blended with intensity) and intensity of one message; never raises on odd input."""
    clean = normalize(text, limit=EMOTION_CHARS)
    folded = segment.fold(clean)
    if not any("\u4e00" <= ch <= "\u9fff" for ch in folded):
        return Emotion(0.0, 0.0, "neutral", [])
    lexicon = get_lexicon()
    found = lexicon.find(clean)
    intensity = intensity_of(found, len(_EXCLAIM.findall(clean)), lexicon)
    model = get_sentiment_model()
    p_neg = 1.0 - model.positive_probability(folded) if model else 0.5
    negativity = 1.0 - (1.0 - p_neg) * (1.0 - 0.8 * intensity)
    if negativity >= NEGATIVE_AT:
        label = "negative"
    elif negativity < POSITIVE_BELOW:
        label = "positive"
    else:
        label = "neutral"
    words = list(dict.fromkeys(found))
    return Emotion(round(negativity, 4), round(intensity, 4), label, words)


def read_reviews(paths: list[Path]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Folded review texts, labels (1 positive) and corpus index from `label,review` CSV files."""
    import csv

    texts, labels, domains = [], [], []
    for g, path in enumerate(paths):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                texts.append(segment.fold(normalize(row.get("review") or "", limit=EMOTION_CHARS)))
                labels.append(int(row["label"]))
                domains.append(g)
    return texts, np.array(labels), np.array(domains)


def _augmented(folded: str, domain: int) -> list[str]:
    toks = sentiment_features(folded)
    return toks + [f"@{domain}{t}" for t in toks]


def fit_sentiment(texts: list[str], labels: np.ndarray, domains: np.ndarray) -> SentimentModel:
    """NB-weighted and plain logistic regression on domain-augmented tf-idf, summed into one weight vector."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    docs = [_augmented(t, int(g)) for t, g in zip(texts, domains, strict=True)]
    vec = TfidfVectorizer(analyzer=lambda d: d, sublinear_tf=True, min_df=3, dtype=np.float32)
    x = vec.fit_transform(docs)
    binary = (x > 0).astype(np.float32)
    p = np.asarray(binary[labels == 1].sum(axis=0)).ravel() + 1.0
    q = np.asarray(binary[labels == 0].sum(axis=0)).ravel() + 1.0
    ratio = np.log((p / p.sum()) / (q / q.sum())).astype(np.float32)
    nb = LogisticRegression(C=3.0, solver="liblinear").fit(x.multiply(ratio).tocsr(), labels)
    plain = LogisticRegression(C=3.0, solver="liblinear").fit(x, labels)
    coef = np.zeros(x.shape[1])
    bias = 0.0
    for w, b in ((nb.coef_.ravel() * ratio, nb.intercept_[0]), (plain.coef_.ravel(), plain.intercept_[0])):
        spread = float(np.std(x @ w + b)) or 1.0
        coef += w / spread
        bias += b / spread
    vocab = sorted(vec.vocabulary_, key=vec.vocabulary_.__getitem__)
    return SentimentModel(vocab, vec.idf_, coef, bias, domains=int(domains.max()) + 1)


def cross_validate_sentiment(texts: list[str], labels: np.ndarray, domains: np.ndarray, k: int = 5) -> dict:
    """Accuracy per corpus by k-fold CV, scored in-domain and domain-averaged (what messages get)."""
    from sklearn.model_selection import StratifiedKFold

    strata = domains * 2 + labels
    in_domain = np.zeros(len(texts))
    unseen = np.zeros(len(texts))
    for train, test in StratifiedKFold(k, shuffle=True, random_state=0).split(texts, strata):
        model = fit_sentiment([texts[i] for i in train], labels[train], domains[train])
        for i in test:
            in_domain[i] = model.positive_probability(texts[i], int(domains[i]))
            unseen[i] = model.positive_probability(texts[i])
    out = {}
    for g in sorted(set(domains.tolist())):
        sel = domains == g
        out[str(g)] = {
            "n": int(sel.sum()),
            "accuracy_in_domain": round(float(((in_domain[sel] >= 0.5) == labels[sel]).mean()), 4),
            "accuracy_domain_averaged": round(float(((unseen[sel] >= 0.5) == labels[sel]).mean()), 4),
        }
    return out
