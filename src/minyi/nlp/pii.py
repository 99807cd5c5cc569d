"""Find and mask personal data (IDs, phones, e-mail, cards, plates, WeChat/QQ, names, house addresses) before publishing.

The rules live in pii_numbers, pii_address, pii_names and pii_name_cues; this module orders them and masks what they find.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from minyi.nlp import pii_address, pii_name_cues, pii_numbers

MASKS: dict[str, str] = {
    "id_card": "【身份证号】",
    "mobile": "【手机号】",
    "phone": "【电话】",
    "email": "【邮箱】",
    "bank_card": "【银行卡号】",
    "plate": "【车牌号】",
    "wechat": "【微信号】",
    "qq": "【QQ号】",
    "name": "【姓名】",
    "address": "【门牌地址】",
}
KINDS = tuple(MASKS)
Scanner = Callable[[str], Iterator[tuple[str, int, int]]]


@dataclass(frozen=True, slots=True)
class Span:
    """One piece of personal data: its kind and where it sits in the text."""

    kind: str
    start: int
    end: int
    text: str


# Full-width ASCII to half-width, one character for one, so offsets stay valid.
_WIDE = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_HAS_WIDE = re.compile("[\uff01-\uff5e\u3000]")
_LONG_NUMBER = re.compile(r"\d(?:[ .\-—]?\d){6,}")


def _scanners(t: str) -> Iterator[Scanner]:
    """The scanners worth running on t, in priority order (cheap substring tests skip the rest)."""
    long_number = _LONG_NUMBER.search(t) is not None
    if long_number:
        yield pii_numbers.ids
        yield pii_numbers.cards
    if "@" in t:
        yield pii_numbers.emails
    if long_number:
        yield pii_numbers.mobiles
        yield pii_numbers.phones
    yield pii_numbers.cn_mobiles
    yield pii_numbers.plates
    yield pii_numbers.accounts
    yield pii_address.addresses
    yield pii_name_cues.names


def find(text: str) -> list[Span]:
    """All personal data in the text, in reading order, without overlaps (earlier kinds win)."""
    if not text:
        return []
    t = text.translate(_WIDE) if _HAS_WIDE.search(text) else text
    taken = bytearray(len(t))  # 1 where a span already sits: overlap checks stay linear on long texts
    spans: list[Span] = []
    for scan in _scanners(t):
        for kind, start, end in scan(t):
            if end <= start or taken.find(1, start, end) != -1:
                continue
            taken[start:end] = b"\x01" * (end - start)
            spans.append(Span(kind, start, end, text[start:end]))
    spans.sort(key=lambda s: s.start)
    return spans


def redact(text: str) -> str:
    """The text with each piece of personal data replaced by a mask naming what was removed."""
    spans = find(text)
    if not spans:
        return text
    out: list[str] = []
    pos = 0
    for s in spans:
        out.append(text[pos : s.start])
        out.append(MASKS[s.kind])
        pos = s.end
    out.append(text[pos:])
    return "".join(out)


def redact_lines(lines: Iterable[str]) -> Iterator[str]:
    """Redact a stream line by line (line endings kept), for `minyi redact`."""
    for line in lines:
        body = line.rstrip("\r\n")
        yield redact(body) + line[len(body) :]
