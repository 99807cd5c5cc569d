"""Tokenisation shared by the topic and emotion models: jieba words and character n-grams."""

from __future__ import annotations

import re

import numpy as np
import rjieba

# Digits and latin runs carry little topic signal and explode the vocabulary: fold them to one symbol.
_DIGITS = re.compile(r"\d+")
_PUNCT = re.compile(r"[\s,.;:!?()\[\]{}<>\"'`~@#$%^&*_+=|\\/，。；：！？、（）【】《》“”‘’…—·-]+")


def fold(text: str) -> str:
    """Lower-case, digits to `0`, punctuation and spaces to one space: the form both analysers read."""
    text = _DIGITS.sub("0", text.lower())
    return _PUNCT.sub(" ", text).strip()


def words(text: str) -> list[str]:
    """Jieba words of already folded text (whitespace is single spaces there), spaces dropped."""
    return [w for w in rjieba.cut(text) if w != " "]


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
