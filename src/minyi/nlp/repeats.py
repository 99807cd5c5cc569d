"""Repeat (near-duplicate) detection: MinHash signatures over character shingles, LSH band keys for SQL lookup."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Hashable

import numpy as np
from datasketch import MinHash

from minyi.nlp.text import normalize

NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
SHINGLE = 3
SEED = 20200101
# Estimated Jaccard similarity of 3-character shingles from which two messages count as the same demand.
REPEAT_THRESHOLD = 0.5
SIGNATURE_BYTES = NUM_PERM * 4

_DROP = re.compile(r"[\s\W_]+")
_EMPTY = np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32)
_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32")
_PERMUTATIONS = _TEMPLATE.permutations
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xFF51AFD7ED558CCD)
_MIX2 = np.uint64(0xC4CEB9FE1A85EC53)
_BAND_SALT = (np.arange(BANDS, dtype=np.uint64) + np.uint64(1)) * _GOLDEN


def _identity(value: int) -> int:
    return value


def shingle_hashes(text: str, *, normalized: bool = False) -> np.ndarray:
    """32-bit values of the distinct character shingles of the text (letters, digits and Han only)."""
    t = _DROP.sub("", (text if normalized else normalize(text)).lower())
    if not t:
        return np.empty(0, dtype=np.uint32)
    cp = np.frombuffer(t.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(cp) < SHINGLE:
        cp = np.concatenate([cp, np.zeros(SHINGLE - len(cp), dtype=np.uint64)])
    n = len(cp) - SHINGLE + 1
    packed = np.zeros(n, dtype=np.uint64)
    for i in range(SHINGLE):
        packed = (packed << np.uint64(21)) | cp[i : i + n]
    with np.errstate(over="ignore"):
        folded = (packed * _GOLDEN) >> np.uint64(32)
    return np.unique(folded.astype(np.uint32))


def signature(text: str, *, normalized: bool = False) -> np.ndarray:
    """MinHash signature (NUM_PERM uint32 values) of the text; all-max for text with no letters."""
    values = shingle_hashes(text, normalized=normalized)
    if not len(values):
        return _EMPTY.copy()
    m = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=_identity, permutations=_PERMUTATIONS, scheme="affine32")
    m.update_batch(values.tolist())
    return np.asarray(m.hashvalues, dtype=np.uint32)


def to_bytes(sig: np.ndarray) -> bytes:
    """Signature as SIGNATURE_BYTES little-endian bytes, for a BLOB/BYTEA column."""
    return np.asarray(sig, dtype="<u4").tobytes()


def from_bytes(raw: bytes) -> np.ndarray:
    """Signature back from to_bytes()."""
    if len(raw) != SIGNATURE_BYTES:
        raise ValueError(f"a signature is {SIGNATURE_BYTES} bytes, got {len(raw)}")
    return np.frombuffer(raw, dtype="<u4").astype(np.uint32)


def _as_sig(sig: np.ndarray | bytes) -> np.ndarray:
    return from_bytes(sig) if isinstance(sig, bytes | bytearray | memoryview) else np.asarray(sig)


def is_empty(sig: np.ndarray | bytes) -> bool:
    """True for the signature of a text without letters, which matches nothing."""
    return bool(np.array_equal(_as_sig(sig), _EMPTY))


def band_keys(sig: np.ndarray | bytes) -> list[int]:
    """One signed 64-bit key per LSH band (fits SQL BIGINT); two texts sharing a key are candidates."""
    s = _as_sig(sig)
    if is_empty(s):
        return []
    rows = s.astype(np.uint64).reshape(BANDS, ROWS)
    h = _BAND_SALT.copy()
    with np.errstate(over="ignore"):
        for j in range(ROWS):
            h = (h ^ rows[:, j]) * _MIX1
            h ^= h >> np.uint64(33)
        h *= _MIX2
        h ^= h >> np.uint64(29)
    return [int(v) for v in h.view(np.int64)]


def similarity(sig_a: np.ndarray | bytes, sig_b: np.ndarray | bytes) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets (0 when either is empty)."""
    a, b = _as_sig(sig_a), _as_sig(sig_b)
    if is_empty(a) or is_empty(b):
        return 0.0
    return float(np.count_nonzero(a == b)) / NUM_PERM


def is_repeat(sig_a: np.ndarray | bytes, sig_b: np.ndarray | bytes) -> bool:
    """Whether two signatures are close enough to count as the same message posted again."""
    return similarity(sig_a, sig_b) >= REPEAT_THRESHOLD


class RepeatIndex:
    """In-memory band-key index (the same lookup the database does with a table of band keys)."""

    def __init__(self, threshold: float = REPEAT_THRESHOLD) -> None:
        self.threshold = threshold
        self._buckets: dict[int, list[Hashable]] = defaultdict(list)
        self._sigs: dict[Hashable, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self._sigs)

    def add(self, item_id: Hashable, text: str) -> np.ndarray:
        """Index a message; returns its signature."""
        sig = signature(text)
        self.add_signature(item_id, sig)
        return sig

    def add_signature(self, item_id: Hashable, sig: np.ndarray | bytes) -> None:
        """Index a signature computed earlier (e.g. read from the database)."""
        if item_id in self._sigs:
            raise KeyError(f"{item_id!r} is already indexed")
        s = _as_sig(sig)
        self._sigs[item_id] = s
        for key in band_keys(s):
            self._buckets[key].append(item_id)

    def candidates(self, sig: np.ndarray | bytes) -> set[Hashable]:
        """Ids sharing at least one band key with the signature."""
        found: set[Hashable] = set()
        for key in band_keys(sig):
            found.update(self._buckets.get(key, ()))
        return found

    def query(self, text: str) -> list[tuple[Hashable, float]]:
        """Indexed messages that repeat the text, most similar first."""
        return self.query_signature(signature(text))

    def query_signature(self, sig: np.ndarray | bytes) -> list[tuple[Hashable, float]]:
        """Like query(), from a signature."""
        s = _as_sig(sig)
        ids = list(self.candidates(s))
        if not ids:
            return []
        same = np.count_nonzero(np.stack([self._sigs[i] for i in ids]) == s, axis=1) / NUM_PERM
        hits = [(i, round(float(v), 4)) for i, v in zip(ids, same, strict=True) if v >= self.threshold]
        return sorted(hits, key=lambda p: (-p[1], str(p[0])))
