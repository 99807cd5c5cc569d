"""A numpy hash table from integer token keys to their position in a model's sorted key vocabulary.

The topic and emotion models look up every character n-gram of a batch (hundreds of thousands of keys) in a
vocabulary of a few hundred thousand keys. A sorted search needs the queries sorted first (np.unique, the
costliest step of the models); an open-addressing table answers them unsorted, in a few vectorised rounds.
"""

from __future__ import annotations

import numpy as np

_EMPTY = np.uint64(2**64 - 1)  # never a key: packed code points use at most 63 bits
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


class KeyIndex:
    """Position of each query key in `vocab` (sorted, distinct uint64), as segment.lookup gives it."""

    def __init__(self, vocab: np.ndarray):
        self.vocab = np.asarray(vocab, dtype=np.uint64)
        bits = max(int(2 * len(self.vocab)).bit_length(), 4)  # at most half full: short probe runs
        self.shift = np.uint64(64 - bits)
        self.mask = np.int64((1 << bits) - 1)
        self.keys = np.full(1 << bits, _EMPTY, dtype=np.uint64)
        self.pos = np.zeros(1 << bits, dtype=np.int64)
        pending = np.arange(len(self.vocab), dtype=np.int64)
        slot = self._home(self.vocab)
        while len(pending):  # linear probing, one round per probe step
            free = self.keys[slot] == _EMPTY
            first = np.zeros(len(pending), dtype=bool)
            _, at = np.unique(slot[free], return_index=True)
            first[np.flatnonzero(free)[at]] = True
            self.keys[slot[first]] = self.vocab[pending[first]]
            self.pos[slot[first]] = pending[first]
            pending, slot = pending[~first], (slot[~first] + 1) & self.mask

    def _home(self, keys: np.ndarray) -> np.ndarray:
        return ((keys * _GOLDEN) >> self.shift).astype(np.int64)  # multiplicative hash; wraps silently

    def find(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Position of each key in the vocabulary (0 when absent), and which keys are present."""
        keys = np.asarray(keys, dtype=np.uint64)
        pos = np.zeros(len(keys), dtype=np.int64)
        found = np.zeros(len(keys), dtype=bool)
        active = np.arange(len(keys), dtype=np.int64)
        slot = self._home(keys)
        while len(active):
            there = self.keys[slot]
            hit = there == keys[active]
            pos[active[hit]] = self.pos[slot[hit]]
            found[active[hit]] = True
            going = ~hit & (there != _EMPTY)
            active, slot = active[going], (slot[going] + 1) & self.mask
        return pos, found
