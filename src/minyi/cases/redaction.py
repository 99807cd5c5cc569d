"""The one redaction every public field goes through: the submitter's known identities, then the detector.

Pure (no database): `known_of` turns a submitter's contact (kept apart from the case) into what finds their
name, phone, ID number, e-mail and address wherever they appear, written with spaces, dashes or dots too, in
any letter case; `mask` replaces them and then runs `minyi.nlp.pii.redact`, which finds what nobody told us.
No regular expression is compiled per person: intake and import mask every case they store.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from minyi.nlp.pii import redact

LABELS = {
    "name": "【姓名】",
    "phone": "【手机号】",
    "email": "【邮箱】",
    "id_number": "【身份证号】",
    "address": "【门牌地址】",
}
FIELDS = tuple(LABELS)


@dataclass(frozen=True)
class Known:
    """One or more people's identities: texts (without spaces, ASCII lower-cased) and numbers (digits only)."""

    texts: tuple[tuple[str, str], ...] = ()
    numbers: tuple[tuple[str, str], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.texts or self.numbers)


NOTHING_KNOWN = Known()
# a number as people write it: digits with spaces, dashes or dots between them (an ID may end in X)
_NUMBER = re.compile(r"[0-9](?:[\s\-.·—－．]*[0-9Xx])+")
_AFTER = re.compile(
    r"省|市|区|县|镇|乡|街道|号(?!楼)"
)  # a home's address may be written from any of these on
_STOP = re.compile(r"号|栋|幢|座|单元|室|楼")
_HONORIFIC = ("先生", "女士", "小姐")
_SPACE_OR_CAPITAL = re.compile(r"[\sA-Z]")


def _squeeze(text: str) -> tuple[str, list[int] | None]:
    """The text without white space, ASCII letters lower-cased, and where each kept character came from
    (None: the text was already so, every character where it is)."""
    if not _SPACE_OR_CAPITAL.search(text):
        return text, None
    where = [i for i, c in enumerate(text) if not c.isspace()]
    return "".join(text[i].lower() if text[i].isascii() else text[i] for i in where), where


def number_forms(value: str) -> set[str]:
    """The digits of a phone or ID number as texts may write them: without a +86 prefix, a landline also
    without its area code. Numbers shorter than 7 digits identify nobody and are left to the detector."""
    chars = "".join(c for c in value if c.isdigit() or c in "Xx").upper()
    forms = {chars}
    if re.fullmatch(r"(?:0086|86)1\d{10}", chars):
        forms = {chars[-11:]}
    elif chars.startswith("0") and len(chars) >= 10:  # area code + local number
        forms |= {chars[-8:], chars[-7:]}
    return {f for f in forms if sum(c.isdigit() for c in f) >= 7}


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
    """One submitter's own name, phone, ID number, e-mail and address, as `mask` looks for them."""
    if not contact:
        return NOTHING_KNOWN
    texts: set[tuple[str, str]] = set()
    numbers: set[tuple[str, str]] = set()
    for attr, label in LABELS.items():
        value = (contact.get(attr) or "").strip()
        if attr == "name":
            name = _squeeze(value)[0]
            if len(name) >= 2 and not name.endswith(
                _HONORIFIC
            ):  # 张先生 names nobody; nor does one character
                texts.add((name, label))
        elif attr in ("phone", "id_number"):
            numbers |= {(f, label) for f in number_forms(value)}
        elif attr == "email" and "@" in value:
            texts.add((_squeeze(value)[0], label))
        elif attr == "address" and value:
            texts |= {(_squeeze(p)[0], label) for p in address_parts(value)}
    return Known(tuple(sorted(texts)), tuple(sorted(numbers)))


def combine(knowns: Iterable[Known]) -> Known:
    """Several people's identities as one (for a merged case: its own submitter and those of its family)."""
    texts: set[tuple[str, str]] = set()
    numbers: set[tuple[str, str]] = set()
    for known in knowns:
        texts |= set(known.texts)
        numbers |= set(known.numbers)
    return Known(tuple(sorted(texts)), tuple(sorted(numbers)))


def _text_spans(text: str, known: Known) -> Iterator[tuple[int, int, str]]:
    squeezed, where = _squeeze(text)
    for needle, label in known.texts:
        k = squeezed.find(needle)
        while k >= 0:
            end = k + len(needle) - 1
            yield (k, end + 1, label) if where is None else (where[k], where[end] + 1, label)
            k = squeezed.find(needle, k + 1)


def _number_spans(text: str, known: Known) -> Iterator[tuple[int, int, str]]:
    """Known numbers written with separators; one inside a longer run of digits is someone else's number."""
    for m in _NUMBER.finditer(text):
        digits: list[str] = []
        where: list[int] = []
        starts = set()  # where a group of digits begins (after a separator)
        for i in range(m.start(), m.end()):
            if text[i].isdigit() or text[i] in "Xx":
                if not where or where[-1] != i - 1:
                    starts.add(len(digits))
                digits.append(text[i].upper())
                where.append(i)
        starts.add(len(digits))
        run = "".join(digits)
        for number, label in known.numbers:
            k = run.find(number)
            while k >= 0:
                if k in starts and k + len(number) in starts:
                    yield where[k], where[k + len(number) - 1] + 1, label
                k = run.find(number, k + 1)


def replace_known(text: str, known: Known) -> str:
    """Only the known identities replaced by their labels (what staff see of an anonymous submitter's text)."""
    if not known:
        return text
    spans = sorted([*_text_spans(text, known), *_number_spans(text, known)], key=lambda s: (s[0], -s[1]))
    out, at = [], 0
    for start, end, label in spans:  # the longest of overlapping finds wins
        if start >= at:
            out += [text[at:start], label]
            at = end
    return "".join(out) + text[at:]


def mask(text: str | None, known: Known = NOTHING_KNOWN) -> str | None:
    """What the public may read of a text: known identities replaced by their labels, then the detector's finds."""
    return None if text is None else redact(replace_known(text, known))


_NLP = Path(__file__).resolve().parents[1] / "nlp"
# every file whose change could change what `mask` finds: this module, the detector and its surname list
REDACTION_SOURCES = (
    Path(__file__).resolve(),
    *sorted(_NLP.glob("pii*.py")),
    _NLP / "lexicons" / "surnames.txt",
)


@lru_cache
def text_revision() -> str:
    """A fingerprint of the redaction in this build (16 hex characters). The masked public text stored on a case
    with this revision is what `mask` gives today, so readers may use it instead of masking again; any change
    to the detector's code or lexicon gives another revision (and `minyi db reindex` brings the texts up to it)."""
    digest = hashlib.sha256()
    for path in REDACTION_SOURCES:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]
