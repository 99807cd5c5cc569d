"""Normalise citizen text before any model or rule looks at it: HTML, full-width forms, traditional characters."""

from __future__ import annotations

import html
import re
import unicodedata

import zhconv

MAX_CHARS = 10_000
_TAG = re.compile(r"<[^>]{0,500}>")
_SPACE = re.compile(r"[ \t\u3000\xa0]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Characters that zhconv changes on their own: text with none of them is already simplified Chinese, and only
# zhconv's few phrase-level touch-ups of simplified text (么九 → 幺九) are skipped for it.
_TRADITIONAL = frozenset(k for k, v in zhconv.zhconv.getdict("zh-cn").items() if len(k) == 1 and k != v)


def strip_html(text: str) -> str:
    """Remove tags and decode entities; script/style bodies go too."""
    text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)
    return html.unescape(_TAG.sub(" ", text))


def normalize(text: str | None, *, limit: int = MAX_CHARS) -> str:
    """One canonical form: no HTML, NFKC (full-width to half-width), simplified characters, tidy spaces."""
    if not text:
        return ""
    text = strip_html(text[: limit * 2])
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL.sub(" ", text)
    if not _TRADITIONAL.isdisjoint(text):  # most messages are already simplified: skip the slow pass
        text = zhconv.convert(text, "zh-cn")
    text = _SPACE.sub(" ", text)
    return text.strip()[:limit]


def han_ratio(text: str) -> float:
    """Share of characters that are Chinese: tells non-Chinese input apart."""
    if not text:
        return 0.0
    han = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return han / len(text)
