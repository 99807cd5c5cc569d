"""Tokenisation shared by the topic and emotion models: jieba words and character n-grams."""

from __future__ import annotations

import re

import rjieba

# Digits and latin runs carry little topic signal and explode the vocabulary: fold them to one symbol.
_DIGITS = re.compile(r"\d+")
_PUNCT = re.compile(r"[\s,.;:!?()\[\]{}<>\"'`~@#$%^&*_+=|\\/，。；：！？、（）【】《》“”‘’…—·-]+")


def fold(text: str) -> str:
    """Lower-case, digits to `0`, punctuation and spaces to one space: the form both analysers read."""
    text = _DIGITS.sub("0", text.lower())
    return _PUNCT.sub(" ", text).strip()


def words(text: str) -> list[str]:
    """Jieba words of already folded text, spaces dropped."""
    return [w for w in rjieba.cut(text) if w.strip()]


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
