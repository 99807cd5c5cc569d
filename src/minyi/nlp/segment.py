"""Tokenisation shared by the topic and emotion models: jieba words and character n-grams."""

from __future__ import annotations

import re

import numpy as np
import rjieba

from minyi.nlp import memo

# Digits and latin runs carry little topic signal and explode the vocabulary: fold them to one symbol.
_DIGITS = re.compile(r"\d+")
_PUNCT = re.compile(r"[\s,.;:!?()\[\]{}<>\"'`~@#$%^&*_+=|\\/，。；：！？、（）【】《》“”‘’…—·-]+")


def _cut(text: str) -> list[str]:
    """rjieba's tokens of the text (spaces included; shared within a memo.shared block: never mutate them)."""
    return memo.cached("cut", text, rjieba.cut)


def fold(text: str) -> str:
    """Lower-case, digits to `0`, punctuation and spaces to one space: the form both analysers read."""
    return memo.cached("fold", text, _fold)


def _fold(text: str) -> str:
    text = _DIGITS.sub("0", text.lower())
    return _PUNCT.sub(" ", text).strip()


def words(text: str) -> list[str]:
    """Jieba words of already folded text (whitespace is single spaces there), spaces dropped."""
    return [w for w in _cut(text) if w != " "]


def word_ngrams(text: str, n_max: int = 2) -> list[str]:
    """Word uni-grams (and bi-grams up to `n_max`) of folded text."""
    toks = words(text)
    out = list(toks)
    for n in range(2, n_max + 1):
        out.extend(" ".join(toks[i : i + n]) for i in range(len(toks) - n + 1))
    return out


def char_ngrams(text: str, n_min: int = 1, n_max: int = 4) -> list[str]:
    """Character n-grams of folded text, never spanning a space (a punctuation break)."""
    out: list[str] = []
    for chunk in text.split(" "):
        size = len(chunk)
        for n in range(n_min, n_max + 1):
            out.extend(chunk[i : i + n] for i in range(size - n + 1))
    return out


def char_keys(docs: list[str], n_max: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Exact integer keys of the character 1..n_max-grams of folded texts, and the document of each.

    A code point fits in 21 bits, so an n-gram (n <= 3) packs losslessly into 63 bits; n-grams never span a
    space. Vectorised over the whole batch: this is what makes the topic model fast.
    """
    if not docs:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    cp = np.frombuffer(" ".join(docs).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    lengths = np.fromiter((len(d) + 1 for d in docs), dtype=np.int64, count=len(docs))
    doc = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)[: len(cp)]
    ok = cp != 32
    keys, owners = [cp[ok]], [doc[ok]]
    key, run = cp, ok
    for n in range(2, n_max + 1):
        key = (key[:-1] << np.uint64(21)) | cp[n - 1 :]
        run = run[:-1] & ok[n - 1 :]
        keys.append(key[run])
        owners.append(doc[: len(run)][run])
    return np.concatenate(keys), np.concatenate(owners)


def word_keys(docs: list[str]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The jieba words of folded texts, in order, as the integer keys of char_keys: (keys, document of
    each, the words longer than three characters). A longer word has key 0 and is listed, in order, in the
    third part, for a dict lookup. Vectorised over the batch, like char_keys: one key per word costs no
    Python-level work."""
    cuts = [_cut(d) for d in docs]
    flat = [w for cut in cuts for w in cut]
    if not flat:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64), []
    joined = "".join(docs)
    lens = np.fromiter(map(len, flat), dtype=np.int64, count=len(flat))
    if int(lens.sum()) != len(joined) or "".join(flat) != joined:  # never seen; words() is the reference
        cuts = [words(d) for d in docs]
        flat = [w for cut in cuts for w in cut]
        joined, lens = "".join(flat), np.fromiter(map(len, flat), dtype=np.int64, count=len(flat))
    owner = np.repeat(np.arange(len(docs), dtype=np.int64), [len(c) for c in cuts])
    cp = np.frombuffer((joined + "\0\0").encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    start = np.cumsum(lens) - lens
    keys = cp[start]
    for i in (1, 2):
        more = lens > i
        keys[more] = (keys[more] << np.uint64(21)) | cp[start[more] + i]
    keep = (lens > 1) | (keys != 32)  # spaces are not words
    long = lens > 3
    keys[long] = 0
    long_words = [flat[i] for i in np.flatnonzero(long)]
    return keys[keep], owner[keep], long_words


def lookup(keys: np.ndarray, vocab: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Column of each key in a sorted key vocabulary, and which keys were found."""
    if not len(vocab) or not len(keys):
        return np.zeros(len(keys), dtype=np.int64), np.zeros(len(keys), dtype=bool)
    uniq, inverse = np.unique(keys, return_inverse=True)  # sorted queries search faster, and only once each
    pos = np.minimum(np.searchsorted(vocab, uniq), len(vocab) - 1)
    return pos[inverse], (vocab[pos] == uniq)[inverse]


def key(token: str) -> int:
    """Exact integer key of a token of up to three characters (the packing of char_keys)."""
    out = 0
    for ch in token:
        out = (out << 21) | ord(ch)
    return out
