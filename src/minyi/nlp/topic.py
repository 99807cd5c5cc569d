"""First-level topic of a citizen message: a linear model over word and character n-grams, shipped as numpy."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from minyi.nlp import segment
from minyi.nlp.keyindex import KeyIndex
from minyi.nlp.text import normalize

MODEL_DIR = Path(__file__).resolve().parent / "model"
WEIGHTS_FILE = "topic.npz"
META_FILE = "topic.json"
MODEL_CHARS = 1_000  # the topic is stated early (CV: same macro-F1 as 2,000); bounds the cost of long input
MIN_HAN_CHARS = 2  # fewer Chinese characters than this and the model has nothing to read
CHAR_N = 3  # character n-grams up to this length
# CJK ideographs incl. extension A and the supplementary planes (zhconv maps some characters, e.g. 蟂, there)
_HAN_CLASS = "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"
_HAN = re.compile(_HAN_CLASS + f"(?:.*?{_HAN_CLASS})" * (MIN_HAN_CHARS - 1), re.S)


@dataclass(frozen=True)
class TopicPrediction:
    """The predicted first-level topic, its calibrated probability, the three likeliest, and triage flag."""

    label: str
    confidence: float
    top3: list[tuple[str, float]]
    needs_triage: bool


def prepare(text: str | None) -> str:
    """Normalised, folded text as the analysers read it (title and body joined by the caller)."""
    return segment.fold(normalize(text, limit=MODEL_CHARS))


def _tfidf_rows(rows: np.ndarray, cols: np.ndarray, n_rows: int, idf: np.ndarray) -> sp.csr_matrix:
    """Sublinear tf-idf rows, l2-normalised, exactly as scikit-learn's TfidfVectorizer computes them.

    Built with numpy and handed to scipy once (data, indices, indptr): a message understood alone (inline
    intake) would otherwise pay scipy's per-matrix overhead five times over for a few dozen values.
    """
    n_cols = len(idf)
    keys, counts = np.unique(np.asarray(rows, dtype=np.int64) * n_cols + cols, return_counts=True)
    row, col = np.divmod(keys, n_cols)
    data = ((1.0 + np.log(counts.astype(np.float32))) * idf[col]).astype(np.float32)
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(row, minlength=n_rows), out=indptr[1:])
    norms = np.zeros(n_rows, dtype=np.float32)
    filled = indptr[:-1] < indptr[1:]
    if filled.any():
        norms[filled] = np.sqrt(np.add.reduceat(data * data, indptr[:-1][filled]))
    norms[norms == 0] = 1.0
    data *= (1.0 / norms).astype(np.float32)[row]
    index = np.int32 if n_cols < 2**31 else np.int64
    return sp.csr_matrix((data, col.astype(index), indptr.astype(index)), shape=(n_rows, n_cols))


class Featurizer:
    """Word uni/bi-gram and character 1-3-gram tf-idf from fixed vocabularies, two l2-normalised blocks.

    Words are jieba tokens looked up by integer key (segment.word_keys; a dict for longer words); a word
    bigram is the integer pair of its two word ids; character n-grams are exact integer keys
    (segment.char_keys), found through a hash index (keyindex). Both key vocabularies are sorted arrays.
    """

    def __init__(
        self,
        words: list[str],
        bigrams: np.ndarray,
        word_idf: np.ndarray,
        chars: np.ndarray,
        char_idf: np.ndarray,
    ):
        self.words = dict(zip(words, range(len(words)), strict=True))
        self.bigrams = np.asarray(bigrams, dtype=np.int64)
        self.word_idf = np.asarray(word_idf, dtype=np.float32)
        self.chars = np.asarray(chars, dtype=np.uint64)
        self.char_idf = np.asarray(char_idf, dtype=np.float32)
        short = sorted((segment.key(w), i) for i, w in enumerate(words) if 0 < len(w) <= 3)
        self._short_keys = np.array([k for k, _ in short], dtype=np.uint64)
        self._short_ids = np.array([i for _, i in short], dtype=np.int64)

    @cached_property
    def char_index(self) -> KeyIndex:
        """Hash table over the character vocabulary (built on first use)."""
        return KeyIndex(self.chars)

    @property
    def n_features(self) -> int:
        """Width of the matrix: words, word bigrams, then characters."""
        return len(self.word_idf) + len(self.char_idf)

    def word_ids(self, words: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
        """Word id (-1 if unknown) of every token of a batch, and the document of each."""
        get = self.words.get
        flat = [get(w, -1) for doc in words for w in doc]
        owner = np.repeat(np.arange(len(words), dtype=np.int64), [len(d) for d in words])
        return np.asarray(flat, dtype=np.int64), owner

    def transform(self, words: list[list[str]], chars: tuple[np.ndarray, np.ndarray]) -> sp.csr_matrix:
        """Matrix of a batch given its jieba words per document and its character keys with owners."""
        return self._matrix(*self.word_ids(words), len(words), chars)

    def transform_folded(self, folded: list[str]) -> sp.csr_matrix:
        """Matrix for texts already passed through `prepare` (the words looked up as vectorised keys)."""
        keys, owner, long = segment.word_keys(folded)
        ids = np.full(len(keys), -1, dtype=np.int64)
        is_long = keys == 0
        pos, found = segment.lookup(keys[~is_long], self._short_keys)
        ids[~is_long] = np.where(found, self._short_ids[pos] if len(self._short_ids) else -1, -1)
        get = self.words.get
        ids[is_long] = np.fromiter((get(w, -1) for w in long), dtype=np.int64, count=len(long))
        return self._matrix(ids, owner, len(folded), segment.char_keys(folded, CHAR_N))

    def _matrix(
        self, ids: np.ndarray, owner: np.ndarray, n: int, chars: tuple[np.ndarray, np.ndarray]
    ) -> sp.csr_matrix:
        pair = (ids[:-1] >= 0) & (ids[1:] >= 0) & (owner[:-1] == owner[1:])
        pos, found = segment.lookup(ids[:-1][pair] * len(self.words) + ids[1:][pair], self.bigrams)
        known = ids >= 0
        w_rows = np.concatenate([owner[known], owner[:-1][pair][found]])
        w_cols = np.concatenate([ids[known], pos[found] + len(self.words)])
        cpos, cfound = self.char_index.find(chars[0])
        word_block = _tfidf_rows(w_rows, w_cols, n, self.word_idf)
        char_block = _tfidf_rows(chars[1][cfound], cpos[cfound], n, self.char_idf)
        return sp.hstack([word_block, char_block], format="csr")


class TopicModel:
    """A trained topic model: featurizer, one collapsed linear layer, softmax temperature, triage threshold."""

    def __init__(
        self,
        featurizer: Featurizer,
        coef: np.ndarray,
        intercept: np.ndarray,
        labels: list[str],
        temperature: float = 1.0,
        threshold: float = 0.5,
        meta: dict | None = None,
    ):
        self.featurizer = featurizer
        self.coef = np.asarray(coef, dtype=np.float32)
        self.intercept = np.asarray(intercept, dtype=np.float32)
        self.labels = list(labels)
        self.temperature = float(temperature)
        self.threshold = float(threshold)
        self.meta = dict(meta or {})

    @property
    def version(self) -> str:
        """Version string recorded at training time."""
        return str(self.meta.get("version", "unversioned"))

    def scores(self, texts: list[str]) -> np.ndarray:
        """Raw linear scores, one row per text (rows for texts with nothing to read are zero)."""
        return self.scores_folded([prepare(t) for t in texts])

    def scores_folded(self, folded: list[str]) -> np.ndarray:
        """Raw linear scores for already prepared texts."""
        if not folded:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        x = self.featurizer.transform_folded(folded)
        out = np.asarray(x @ self.coef) + self.intercept
        out[np.asarray(x.getnnz(axis=1)) == 0] = 0.0
        return out

    def proba(self, texts: list[str]) -> np.ndarray:
        """Calibrated class probabilities (softmax of the scores at the fitted temperature)."""
        return softmax(self.scores(texts), self.temperature)

    def predict(self, texts: list[str]) -> list[TopicPrediction]:
        """Topic of each text; empty or unreadable text gets confidence 0 and goes to triage."""
        folded = [prepare(t) for t in texts]
        probs = softmax(self.scores_folded(folded), self.temperature)
        orders = np.argsort(-probs, axis=1)[:, :3]  # row by row, as np.argsort(-row) would
        tops = np.take_along_axis(probs, orders, axis=1).tolist()
        out = []
        for text, order, top in zip(folded, orders.tolist(), tops, strict=True):
            top3 = [(self.labels[i], round(p, 4)) for i, p in zip(order, top, strict=True)]
            if not _readable(text):
                out.append(TopicPrediction(top3[0][0], 0.0, [(lab, 0.0) for lab, _ in top3], True))
                continue
            conf = top3[0][1]
            out.append(TopicPrediction(top3[0][0], conf, top3, conf < self.threshold))
        return out

    def save(self, directory: Path) -> Path:
        """Write weights (compressed numpy) and metadata (JSON) into `directory`; returns the weights path."""
        directory.mkdir(parents=True, exist_ok=True)
        fz = self.featurizer
        path = directory / WEIGHTS_FILE
        np.savez_compressed(
            path,
            words=_pack(list(fz.words)),
            bigrams=fz.bigrams,
            word_idf=fz.word_idf,
            chars=fz.chars,
            char_idf=fz.char_idf,
            coef=self.coef.astype(np.float16),
            intercept=self.intercept,
            labels=_pack(self.labels),
            calibration=np.array([self.temperature, self.threshold], dtype=np.float64),
        )
        (directory / META_FILE).write_text(
            json.dumps(self.meta, ensure_ascii=False, indent=2) + "\n", "utf-8"
        )
        return path

    @classmethod
    def load(cls, directory: Path) -> TopicModel:
        """Read a model written by `save`."""
        with np.load(directory / WEIGHTS_FILE) as z:
            featurizer = Featurizer(
                _unpack(z["words"]), z["bigrams"], z["word_idf"], z["chars"], z["char_idf"]
            )
            temperature, threshold = (float(v) for v in z["calibration"])
            coef = z["coef"].astype(np.float32)
            model = cls(featurizer, coef, z["intercept"], _unpack(z["labels"]), temperature, threshold)
        meta_path = directory / META_FILE
        if meta_path.exists():
            model.meta = json.loads(meta_path.read_text("utf-8"))
        return model


def softmax(scores: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Row-wise softmax of scores divided by the temperature."""
    z = np.asarray(scores, dtype=np.float64) / max(temperature, 1e-6)
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _readable(text: str) -> bool:
    """At least MIN_HAN_CHARS Chinese characters: something for the model to read."""
    return _HAN.search(text) is not None


def _pack(strings: list[str]) -> np.ndarray:
    """Strings as one UTF-8 byte array, newline separated: compact and quick to load."""
    return np.frombuffer("\n".join(strings).encode("utf-8"), dtype=np.uint8)


def _unpack(packed: np.ndarray) -> list[str]:
    return bytes(packed).decode("utf-8").split("\n") if packed.size else []


@lru_cache(maxsize=1)
def get_topic_model() -> TopicModel | None:
    """The shipped model, loaded once per process; None when no model file ships."""
    if not (MODEL_DIR / WEIGHTS_FILE).exists():
        return None
    return TopicModel.load(MODEL_DIR)
