"""The one redaction every public field goes through: the submitter's known identities, then the detector.

Pure (no database): `known_of` turns a submitter's contact (kept apart from the case) into patterns that find
their name, phone, ID number, e-mail and address wherever they appear, written with spaces, dashes or dots too;
`mask` applies them and then `minyi.nlp.pii.redact`, which finds what nobody told us.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from minyi.nlp.pii import redact

LABELS = {
    "name": "【姓名】",
    "phone": "【手机号】",
    "email": "【邮箱】",
    "id_number": "【身份证号】",
    "address": "【门牌地址】",
}
FIELDS = tuple(LABELS)
Known = tuple[tuple[re.Pattern[str], str], ...]
NOTHING_KNOWN: Known = ()

_SEP = r"[\s\-.·—－．]*"  # what people put between the digits of a number: spaces, dashes, dots
_AFTER = re.compile(
    r"省|市|区|县|镇|乡|街道|号(?!楼)"
)  # a home's address may be written from any of these on
_STOP = re.compile(r"号|栋|幢|座|单元|室|楼")
_HONORIFIC = ("先生", "女士", "小姐")


def _digits_pattern(chars: str) -> str:
    body = _SEP.join("[Xx]" if c in "Xx" else c for c in chars)
    return rf"(?<![0-9]){body}(?![0-9])"


def number_forms(value: str) -> set[str]:
    """The digits of a phone or ID number as texts may write them: without a +86 prefix, a landline also
    without its area code. Numbers shorter than 7 digits identify nobody and are left to the detector."""
    chars = "".join(c for c in value if c.isdigit() or c in "Xx")
    forms = {chars}
    if re.fullmatch(r"(?:0086|86)1\d{10}", chars):
        forms = {chars[-11:]}
    elif chars.startswith("0") and len(chars) >= 10:  # area code + local number
        forms |= {chars[-8:], chars[-7:]}
    return {f for f in forms if sum(c.isdigit() for c in f) >= 7}


def _name_pattern(value: str) -> str | None:
    value = re.sub(r"\s+", "", value)
    if len(value) < 2 or value.endswith(_HONORIFIC):  # 张先生 names nobody; a single character is a word
        return None
    return r"\s*".join(re.escape(c) for c in value)


def address_parts(address: str) -> set[str]:
    """The pieces of an address that point at a home: the whole, the part after each administrative unit, and
    each of those cut after its street number, building or flat; only pieces with a number are kept."""
    address = re.sub(r"\s+", "", address)
    tails = {address} | {address[m.end() :] for m in _AFTER.finditer(address)}
    parts = set(tails)
    for tail in tails:
        parts |= {tail[: m.end()] for m in _STOP.finditer(tail)}
    return {p for p in parts if len(p) >= 4 and any(c.isdigit() for c in p)}


def known_of(contact: Mapping[str, str | None] | None) -> Known:
    """Patterns for one submitter's own name, phone, ID number, e-mail and address, longest first."""
    if not contact:
        return NOTHING_KNOWN
    found: list[tuple[str, str]] = []
    for attr, label in LABELS.items():
        value = (contact.get(attr) or "").strip()
        if not value:
            continue
        if attr == "name":
            pattern = _name_pattern(value)
            found += [(pattern, label)] if pattern else []
        elif attr in ("phone", "id_number"):
            found += [(_digits_pattern(f), label) for f in number_forms(value)]
        elif attr == "email" and "@" in value:
            found.append(("(?i:" + re.escape(value) + ")", label))
        elif attr == "address":
            found += [(re.escape(p), label) for p in address_parts(value)]
    found.sort(key=lambda pl: -len(pl[0]))
    return tuple((re.compile(p), label) for p, label in found)


def combine(knowns: Iterable[Known]) -> Known:
    """Several people's patterns as one (for a merged case: its own submitter and those of its family)."""
    seen: dict[str, tuple[re.Pattern[str], str]] = {}
    for known in knowns:
        for pattern, label in known:
            seen.setdefault(pattern.pattern, (pattern, label))
    return tuple(sorted(seen.values(), key=lambda pl: -len(pl[0].pattern)))


def mask(text: str | None, known: Known = NOTHING_KNOWN) -> str | None:
    """What the public may read of a text: known identities replaced by their labels, then the detector's finds."""
    if text is None:
        return None
    for pattern, label in known:
        text = pattern.sub(label, text)
    return redact(text)
