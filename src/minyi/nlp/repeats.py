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
ROWS = NUM_PERM // BANDS  # even: band_keys reads two rows per 64-bit word
SHINGLE = 3
SEED = 20200101
# Estimated Jaccard similarity of 3-character shingles from which two messages count as the same demand.
REPEAT_THRESHOLD = 0.5
# The same user posting again is itself a strong signal: the core compares a new message with that user's
# earlier ones directly (no band keys needed) and links from this lower similarity.
SAME_USER_THRESHOLD = 0.3
SIGNATURE_BYTES = NUM_PERM * 4

_DROP = re.compile(r"[\s\W_]+")
_EMPTY = np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32)
_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32")
_PERMUTATIONS = _TEMPLATE.permutations
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xFF51AFD7ED558CCD)
_MIX2 = np.uint64(0xC4CEB9FE1A85EC53)
_SHIFT = np.uint64(21)
_S33 = np.uint64(33)
_S29 = np.uint64(29)
_HALF = np.uint64(32)
_BAND_SALT = (np.arange(BANDS, dtype=np.uint64) + np.uint64(1)) * _GOLDEN


def _identity(value: int) -> int:
    return value


def _shingle_values(text: str, normalized: bool) -> np.ndarray:
    """32-bit values of every character shingle (letters, digits and Han only), repeats included."""
    t = _DROP.sub("", (text if normalized else normalize(text)).lower())
    if not t:
        return np.empty(0, dtype=np.uint32)
    cp = np.frombuffer(t.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(cp) < SHINGLE:
        cp = np.concatenate([cp, np.zeros(SHINGLE - len(cp), dtype=np.uint64)])
    n = len(cp) - SHINGLE + 1
    packed = cp[:n].copy()
    for i in range(1, SHINGLE):
        packed = (packed << _SHIFT) | cp[i : i + n]
    return ((packed * _GOLDEN) >> _HALF).astype(np.uint32)  # array arithmetic wraps silently


def shingle_hashes(text: str, *, normalized: bool = False) -> np.ndarray:
    """The distinct 32-bit shingle values of the text, sorted."""
    return np.unique(_shingle_values(text, normalized))


def _fmix32(hv: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser, the pre-mix datasketch applies in its affine32 scheme."""
    hv = hv ^ (hv >> np.uint32(16))
    hv = hv * np.uint32(0x85EBCA6B)
    hv = hv ^ (hv >> np.uint32(13))
    hv = hv * np.uint32(0xC2B2AE35)
    return hv ^ (hv >> np.uint32(16))


def signature(text: str, *, normalized: bool = False) -> np.ndarray:
    """MinHash signature (NUM_PERM uint32 values) of the text; all-max for text with no letters.

    Equal to datasketch's MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32") fed the shingle values,
    computed in one vectorised step (a test checks the two agree).
    """
    values = _shingle_values(text, normalized)
    if not len(values):
        return _EMPTY.copy()
    a, b = _PERMUTATIONS
    hashed = _fmix32(values).reshape(-1, 1) * a  # uint32 arithmetic wraps silently, as datasketch's does
    hashed += b  # in place: one shingles × NUM_PERM array, not two
    return np.asarray(hashed.min(axis=0), dtype=np.uint32)


def datasketch_minhash(text: str) -> MinHash:
    """The same signature built through datasketch's own API (slower; for checks and interop)."""
    m = MinHash(
        num_perm=NUM_PERM, seed=SEED, hashfunc=_identity, permutations=_PERMUTATIONS, scheme="affine32"
    )
    m.update_batch(shingle_hashes(text).tolist())
    return m


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
    s = _as_sig(sig)
    return bool(s[0] == _EMPTY[0] and np.array_equal(s, _EMPTY))


def band_keys(sig: np.ndarray | bytes) -> list[int]:
    """One signed 64-bit key per LSH band (fits SQL BIGINT); two texts sharing a key are candidates."""
    s = _as_sig(sig)
    if is_empty(s):
        return []
    return [int(k) for k in band_keys_many(s)[0]]


def band_keys_of(signatures: list[bytes]) -> list[list[int]]:
    """band_keys() of each stored signature (to_bytes form), computed for the whole list at once."""
    if not signatures:
        return []
    sigs = np.frombuffer(b"".join(signatures), dtype="<u4").reshape(len(signatures), NUM_PERM)
    empty = (sigs == _EMPTY).all(axis=1).tolist()
    return [[] if e else keys for e, keys in zip(empty, band_keys_many(sigs).tolist(), strict=True)]


def band_keys_many(sigs: np.ndarray) -> np.ndarray:
    """band_keys() for a stack of signatures at once: an (n, BANDS) int64 array (rows of empty texts: 0)."""
    s = np.ascontiguousarray(np.asarray(sigs, dtype="<u4").reshape(-1, NUM_PERM))
    words = s.view("<u8").reshape(len(s), BANDS, ROWS // 2)
    h = np.broadcast_to(_BAND_SALT, (len(s), BANDS)).copy()
    for j in range(ROWS // 2):
        h = (h ^ words[:, :, j]) * _MIX1
        h ^= h >> _S33
    h *= _MIX2
    h ^= h >> _S29
    keys = h.view(np.int64)
    keys[(s == _EMPTY).all(axis=1)] = 0
    return keys


def similarity(sig_a: np.ndarray | bytes, sig_b: np.ndarray | bytes) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets (0 when either is empty)."""
    a, b = _as_sig(sig_a), _as_sig(sig_b)
    if is_empty(a) or is_empty(b):
        return 0.0
    return float(np.count_nonzero(a == b)) / NUM_PERM


def is_repeat(sig_a: np.ndarray | bytes, sig_b: np.ndarray | bytes, *, same_user: bool = False) -> bool:
    """Whether two messages count as one posted again (a lower bar when the same user posted both)."""
    return similarity(sig_a, sig_b) >= (SAME_USER_THRESHOLD if same_user else REPEAT_THRESHOLD)


class RepeatIndex:
    """In-memory band-key index (the same lookup the database does with a table of band keys)."""

    def __init__(self, threshold: float = REPEAT_THRESHOLD, same_user_threshold: float = SAME_USER_THRESHOLD):
        self.threshold = threshold
        self.same_user_threshold = same_user_threshold
        self._buckets: dict[int, list[Hashable]] = defaultdict(list)
        self._sigs: dict[Hashable, np.ndarray] = {}
        self._by_user: dict[Hashable, list[Hashable]] = defaultdict(list)

    def __len__(self) -> int:
        return len(self._sigs)

    def add(self, item_id: Hashable, text: str, user: Hashable | None = None) -> np.ndarray:
        """Index a message (and who posted it, if known); returns its signature."""
        sig = signature(text)
        self.add_signature(item_id, sig, user)
        return sig

    def add_signature(self, item_id: Hashable, sig: np.ndarray | bytes, user: Hashable | None = None) -> None:
        """Index a signature computed earlier (e.g. read from the database)."""
        if item_id in self._sigs:
            raise KeyError(f"{item_id!r} is already indexed")
        s = _as_sig(sig)
        self._sigs[item_id] = s
        for key in band_keys(s):
            self._buckets[key].append(item_id)
        if user is not None:
            self._by_user[user].append(item_id)

    def candidates(self, sig: np.ndarray | bytes) -> set[Hashable]:
        """Ids sharing at least one band key with the signature."""
        found: set[Hashable] = set()
        for key in band_keys(sig):
            found.update(self._buckets.get(key, ()))
        return found

    def query(self, text: str, user: Hashable | None = None) -> list[tuple[Hashable, float]]:
        """Indexed messages that repeat the text, most similar first."""
        return self.query_signature(signature(text), user)

    def query_signature(
        self, sig: np.ndarray | bytes, user: Hashable | None = None
    ) -> list[tuple[Hashable, float]]:
        """Like query(), from a signature."""
        s = _as_sig(sig)
        own = set(self._by_user.get(user, ())) if user is not None else set()
        ids = list(self.candidates(s) | own)
        if not ids or is_empty(s):
            return []
        same = np.count_nonzero(np.stack([self._sigs[i] for i in ids]) == s, axis=1) / NUM_PERM
        hits = [
            (i, round(float(v), 4))
            for i, v in zip(ids, same, strict=True)
            if v >= (self.same_user_threshold if i in own else self.threshold)
        ]
        return sorted(hits, key=lambda p: (-p[1], str(p[0])))
