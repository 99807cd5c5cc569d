"""How negative and how intense a message is: a small polarity model plus an extendable intensity lexicon."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

from minyi.nlp import segment
from minyi.nlp.keyindex import KeyIndex
from minyi.nlp.text import normalize

MODEL_DIR = Path(__file__).resolve().parent / "model"
LEXICON_DIR = Path(__file__).resolve().parent / "lexicons"
SENTIMENT_FILE = "sentiment.npz"
SENTIMENT_VERSION = "sentiment-nblr-domainaug-1"
EMOTION_CHARS = 1_500  # both the model and the lexicon read the head of a message: bounded cost
NEGATIVE_AT = 0.7  # negativity at or above this is labelled negative
POSITIVE_BELOW = 0.4  # negativity below this is labelled positive
_EXCLAIM = re.compile(r"[!！]{1,}|[?？]{2,}")
_HAS_HAN = re.compile("[\u4e00-\u9fff]")


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
        # Character n-grams (up to three characters) are looked up as exact integer keys, vectorised over a
        # batch; jieba words through a dict. A word and a character n-gram spelled alike are one token.
        names = [self.vocab[i] for i in shared]
        short = sorted((segment.key(t), row) for row, t in enumerate(names) if len(t) <= 3)
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

    @cached_property
    def short_index(self) -> KeyIndex:
        """Hash table over the keys of the tokens of up to three characters (built on first use)."""
        return KeyIndex(self.short_keys)

    def _token_rows(self, folded: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Table row of every known token (character 1-3-grams and jieba words) of a batch, and its document."""
        char_keys, char_owner = segment.char_keys(folded, 3)
        keys, owner, long = segment.word_keys(folded)
        is_long = keys == 0
        keys = np.concatenate([char_keys, keys[~is_long]])
        owner = np.concatenate([char_owner, owner[~is_long], owner[is_long]])
        get = self.long_words.get
        long_rows = np.fromiter((get(w, -1) for w in long), dtype=np.int64, count=len(long))
        pos, found = self.short_index.find(keys)
        short_rows = np.where(found, self.short_rows[pos] if len(self.short_rows) else -1, -1)
        rows = np.concatenate([short_rows, long_rows])
        known = rows >= 0
        return rows[known], owner[known]

    def logits_many(self, folded: list[str]) -> np.ndarray:
        """Linear scores of folded texts, one row each, one column per training domain (one if none); a
        row is NaN when the text holds no known token. One pass over the whole batch: each row is computed
        from its own tokens only (in the same order), so a text scores the same alone or in any batch."""
        n, width = len(folded), max(self.domains, 1)
        out = np.full((n, width), np.nan)
        rows, owner = self._token_rows(folded) if n else (np.zeros(0, np.int64), np.zeros(0, np.int64))
        if not len(rows):
            return out
        pairs, counts = np.unique(owner * len(self.table) + rows, return_counts=True)
        doc, row = np.divmod(pairs, len(self.table))
        tf = 1.0 + np.log(counts)
        part = self.table[row]
        own = tf * part[:, 0]
        dot = np.bincount(doc, own * part[:, 1], minlength=n)
        norm = np.bincount(doc, own * own, minlength=n)
        filled = np.bincount(doc, minlength=n) > 0
        for g in range(width):
            d, q = dot, norm
            if self.domains:
                dom = tf * part[:, 2 + 2 * g]
                d = d + np.bincount(doc, dom * part[:, 3 + 2 * g], minlength=n)
                q = q + np.bincount(doc, dom * dom, minlength=n)
            out[filled, g] = d[filled] / np.sqrt(q[filled]) + self.bias
        return out

    def logits(self, folded: str) -> np.ndarray:
        """Linear score of folded text as seen from each training domain (one value if none); NaN if unknown."""
        return self.logits_many([folded])[0]

    def positive_probabilities(self, folded: list[str], domain: int | None = None) -> list[float]:
        """`positive_probability` of each folded text, computed in one batch."""
        shift = 0.0
        if domain is None and self.score_domain >= 0:
            domain, shift = self.score_domain, self.score_shift
        out = []
        for logits in self.logits_many(folded):
            if np.isnan(logits[0]):
                out.append(0.5)
                continue
            z = float(logits[domain] if domain is not None else logits.mean()) + shift
            out.append(1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0))))
        return out

    def positive_probability(self, folded: str, domain: int | None = None) -> float:
        """Probability that folded text is positive, seen from `domain` (default: the model's scoring domain, or the
        mean logit over domains when it has none); 0.5 if unknown."""
        return self.positive_probabilities([folded], domain)[0]

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
    return score_many([text])[0]


def score_many(texts: Iterable[str | None]) -> list[Emotion]:
    """`score` of each text, the polarity model run once over the whole batch (the same results as one by one)."""
    lexicon = get_lexicon()
    cleaned = [normalize(text, limit=EMOTION_CHARS) for text in texts]
    folded = [segment.fold(clean) for clean in cleaned]
    readable = [i for i, f in enumerate(folded) if _HAS_HAN.search(f)]
    model = get_sentiment_model()
    p_pos = model.positive_probabilities([folded[i] for i in readable]) if model else [0.5] * len(readable)
    out = [Emotion(0.0, 0.0, "neutral", [])] * len(cleaned)
    for i, p in zip(readable, p_pos, strict=True):
        p_neg = 1.0 - p
        found = lexicon.find(cleaned[i])
        intensity = intensity_of(found, len(_EXCLAIM.findall(cleaned[i])), lexicon)
        negativity = 1.0 - (1.0 - p_neg) * (1.0 - 0.8 * intensity)
        if negativity >= NEGATIVE_AT:
            label = "negative"
        elif negativity < POSITIVE_BELOW:
            label = "positive"
        else:
            label = "neutral"
        out[i] = Emotion(round(negativity, 4), round(intensity, 4), label, list(dict.fromkeys(found)))
    return out
