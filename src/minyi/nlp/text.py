"""Normalise citizen text before any model or rule looks at it: HTML, full-width forms, traditional characters."""

from __future__ import annotations

import html
import re
import unicodedata

import numpy as np
import zhconv

from minyi.nlp import memo

MAX_CHARS = 10_000
_TAG = re.compile(r"<[^>]{0,500}>")
_SPACE = re.compile(r"[ \t\u3000\xa0]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Characters that zhconv changes on their own: text with none of them is already simplified Chinese, and only
# zhconv's few phrase-level touch-ups of simplified text (么九 → 幺九) are skipped for it.
_TRADITIONAL = frozenset(k for k, v in zhconv.zhconv.getdict("zh-cn").items() if len(k) == 1 and k != v)
# The same set as a lookup table by code point: one vectorised test per text instead of a Python-level scan.
_TRADITIONAL_MASK = np.zeros(max(map(ord, _TRADITIONAL)) + 1, dtype=bool)
_TRADITIONAL_MASK[[ord(c) for c in _TRADITIONAL]] = True
_WIDE_FIRST, _WIDE_LAST, _WIDE_SHIFT = 0xFF01, 0xFF5E, 0xFEE0  # full-width ASCII, NFKD of each = its ASCII


def strip_html(text: str) -> str:
    """Remove tags and decode entities; script/style bodies go too."""
    text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)
    return html.unescape(_TAG.sub(" ", text))


def normalize(text: str | None, *, limit: int = MAX_CHARS) -> str:
    """One canonical form: no HTML, NFKC (full-width to half-width), simplified characters, tidy spaces."""
    if not text:
        return ""
    return memo.cached("normalize", text[: limit * 2], _canonical).strip()[:limit]


def _canonical(text: str) -> str:
    text = strip_html(text)
    text = _nfkc(text)
    text = _CONTROL.sub(" ", text)
    if _has_traditional(text):  # most messages are already simplified: skip the slow pass
        text = zhconv.convert(text, "zh-cn")
    return _SPACE.sub(" ", text)


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _nfkc(text: str) -> str:
    """unicodedata's NFKC, with full-width ASCII and the ideographic space replaced by their NFKD forms first
    (vectorised): the result is the same (NFKC composes the NFKD of the text), and the C pass has less to do."""
    cp = _code_points(text)
    wide = ((cp >= _WIDE_FIRST) & (cp <= _WIDE_LAST)) | (cp == 0x3000)
    if wide.any():
        cp = np.where(wide, np.where(cp == 0x3000, 0x20, cp - _WIDE_SHIFT), cp).astype(np.uint32)
        text = cp.tobytes().decode("utf-32-le", "surrogatepass")
    return unicodedata.normalize("NFKC", text)


def _has_traditional(text: str) -> bool:
    """Whether zhconv would change any single character of the text (the test `normalize` skips it by)."""
    cp = _code_points(text)
    cp = cp[cp < len(_TRADITIONAL_MASK)]
    return bool(_TRADITIONAL_MASK[cp].any())


def han_ratio(text: str) -> float:
    """Share of characters that are Chinese: tells non-Chinese input apart."""
    if not text:
        return 0.0
    han = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return han / len(text)
