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
EMOTION_CHARS = 3_000
NEGATIVE_AT = 0.6  # negativity at or above this is labelled negative
POSITIVE_BELOW = 0.35  # negativity below this is labelled positive
_EXCLAIM = re.compile(r"[!！]{1,}|[?？]{2,}")


@dataclass(frozen=True)
class Emotion:
    """Negativity and intensity in 0..1, a coarse label, and the intensity words that were found."""

    negativity: float
    intensity: float
    label: str
    words: list[str]


def sentiment_features(folded: str) -> list[str]:
    """Tokens the polarity model reads: jieba words, word bigrams and character 1-3-grams."""
    return segment.word_ngrams(folded, 2) + segment.char_ngrams(folded, 1, 3)


class SentimentModel:
    """Binary polarity (1 = positive): sublinear tf-idf, l2-normalised, one weight vector.

    Trained with domain-augmented features (each token also as `@<domain>token`, one domain per corpus);
    text from an unseen domain, such as a citizen message, is scored as the mean logit over the domains.
    """

    def __init__(self, vocab: list[str], idf: np.ndarray, coef: np.ndarray, bias: float, domains: int = 0):
        self.weights = {t: (float(i), float(c)) for t, i, c in zip(vocab, idf, coef, strict=True)}
        self.bias = float(bias)
        self.domains = int(domains)

    def logit(self, counts: Counter[str], domain: int | None) -> float | None:
        """Linear score of token counts as seen from one training domain (None: shared tokens only)."""
        dot = norm = 0.0
        weights = self.weights
        prefix = f"@{domain}" if domain is not None else ""
        for tok, n in counts.items():
            tf = 1.0 + math.log(n)
            for key in (tok, prefix + tok) if prefix else (tok,):
                entry = weights.get(key)
                if entry is not None:
                    value = tf * entry[0]
                    dot += value * entry[1]
                    norm += value * value
        return dot / math.sqrt(norm) + self.bias if norm else None

    def positive_probability(self, folded: str, domain: int | None = None) -> float:
        """Probability that folded text is positive; 0.5 when no known token is present."""
        counts = Counter(sentiment_features(folded))
        doms = [domain] if domain is not None else (list(range(self.domains)) or [None])
        logits = [z for z in (self.logit(counts, d) for d in doms) if z is not None]
        if not logits:
            return 0.5
        z = sum(logits) / len(logits)
        return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))

    def save(self, path: Path) -> None:
        """Write vocabulary, idf and weights as compressed numpy."""
        vocab = sorted(self.weights)
        np.savez_compressed(
            path,
            vocab=np.frombuffer("\n".join(vocab).encode("utf-8"), dtype=np.uint8),
            idf=np.array([self.weights[t][0] for t in vocab], dtype=np.float32),
            coef=np.array([self.weights[t][1] for t in vocab], dtype=np.float32),
            bias=np.array([self.bias, self.domains]),
        )

    @classmethod
    def load(cls, path: Path) -> SentimentModel:
        """Read a model written by `save`."""
        with np.load(path) as z:
            vocab = bytes(z["vocab"]).decode("utf-8").split("\n")
            return cls(vocab, z["idf"], z["coef"], float(z["bias"][0]), int(z["bias"][1]))


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
