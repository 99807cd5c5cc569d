"""Find and mask personal data (ID, phone, e-mail, bank card, plate, name, house address) before publishing."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

MASKS: dict[str, str] = {
    "id_card": "【身份证号】",
    "mobile": "【手机号】",
    "phone": "【电话】",
    "email": "【邮箱】",
    "bank_card": "【银行卡号】",
    "plate": "【车牌号】",
    "name": "【姓名】",
    "address": "【门牌地址】",
}
KINDS = tuple(MASKS)


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
_HAN = "\u4e00-\u9fff"
_PROV = r"(?:1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[12])"
_DAY = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
_ID18 = re.compile(
    rf"(?<![0-9A-Za-z]){_PROV}\d{{4}} ?(?:18|19|20)\d{{2}}{_DAY} ?\d{{3}}[0-9Xx](?![0-9A-Za-z])"
)
_ID15 = re.compile(rf"(?<![0-9A-Za-z]){_PROV}\d{{6}}{_DAY}\d{{3}}(?![0-9A-Za-z])")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CUE = re.compile(r"身份证|证件号|公民身份")
_MOBILE = re.compile(r"(?<![0-9+])(?:(?:\+|00)?86[ -]?|\(\+?86\) ?)?1[3-9]\d(?:[ -]?\d{4}){2}(?![0-9]|\.\d)")
_AREA = r"0(?:10|2\d|[3-9]\d{2})"
_EXT = r"(?:(?:转|-|分机|ext\.?|x)\d{1,5}(?![0-9]))?"
_PHONE = re.compile(rf"(?<![0-9])(?:\({_AREA}\) ?|{_AREA}[ -]?)[2-9]\d{{6,7}}(?![0-9]){_EXT}")
_PHONE_CUED = re.compile(
    rf"(?:电话|座机|固话|联系方式|tel|Tel|TEL)(?:号码|号)?(?:是|为)?[:： ]*([2-9]\d{{6,7}}(?![0-9]){_EXT})"
)
_EMAIL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,10}")
_CARD = re.compile(r"(?<![0-9])(?:\d{16,19}|\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?)(?![0-9])")
_CARD_CUE = re.compile(r"卡号|银行卡|账号|帐号|储蓄卡|信用卡|借记卡|工资卡")
_CARD_NOT = re.compile(r"订单|单号|工单|编号|流水|快递|运单|案号|合同号|发票")
_PROV_CH = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PL = "A-HJ-NP-Za-hj-np-z"
_PLATE = re.compile(
    rf"(?<![A-Za-z0-9])[{_PROV_CH}][{_PL}][ ·•.-]?"
    rf"(?:[DFdf][{_PL}0-9]\d{{4}}|\d{{5}}[DFdf]|[{_PL}0-9]{{4}}[{_PL}0-9挂学警])(?![A-Za-z0-9])"
)
_NUM = r"(?:\d{1,4}|[一二三四五六七八九十]{1,3})"
_BLD = rf"[A-Za-z]?{_NUM}[A-Za-z]?(?:栋|幢|号楼|座)"
_UNIT = rf"{_NUM}单元"
_ROOM_CODE = r"(?<![\d\-/.:])[A-Za-z]?\d{1,2}-\d{1,2}-\d{3,4}(?![\d\-/.:])"
_ROOM = r"[A-Za-z]?\d{2,5}(?:室|号房|房|号(?![楼院]))?(?![\d年月日元万多个户人栋层%.米吨斤平方块岁天次辆台部条公千mM㎡])"
_ADDR = re.compile(
    rf"(?:{_BLD}-?(?:{_UNIT}-?)?(?:{_NUM}(?:楼|层)-?)?{_ROOM}|{_BLD}-?{_UNIT}|{_UNIT}-?(?:{_NUM}(?:楼|层)-?)?{_ROOM}|{_ROOM_CODE})"
)
_NAME_CUE = re.compile(
    r"(我叫|我名叫|我的名字(?:叫|是)|本人叫|本人名叫|本人姓名|姓名(?=[:： 是为])(?:是|为)?|联系人|本人)[:： ]*(?=["
    + _HAN
    + "])"
)
_TITLE = re.compile(r"先生|女士|小姐")
# After a name: punctuation, end, or a word that usually follows a self-introduction.
_AFTER_NAME = re.compile(
    r"(?:$|[\s，,。.、;；:：!！?？()（）]|是|系|男|女|今年|现年|出生|身份证|电话|手机|联系|家住|住|现|在|的|，|户主|业主|同志)"
)
_SENTENCE_START = set("，,。.!！?？:：;；、 \n\t\r(（)）》”\"'_")
_NAME_STOP = set("是系男女今现在的住家和与及于从向因为了说等")
_SPLIT_WORDS = frozenset({"电话", "手机", "身份", "地址", "家住", "联系", "微信", "先生", "女士", "邮箱"})
_ROLE = set("长理事客所局厅县市委记任总老员官警董经师主")
_GIVEN_BAD = set("某XＸ×*＊先女姐")
_TITLE_BEFORE = set("的位请找向和与给叫是被由系即及人长、，,：: ")


@lru_cache(maxsize=1)
def _surnames() -> tuple[frozenset[str], frozenset[str]]:
    """Single and compound surnames from the lexicon file."""
    raw = resources.files("minyi.nlp").joinpath("lexicons/surnames.txt").read_text("utf-8")
    words = [w for line in raw.splitlines() if not line.startswith("#") for w in line.split()]
    return frozenset(w for w in words if len(w) == 1), frozenset(w for w in words if len(w) == 2)


def _id_ok(digits: str) -> bool:
    """Check the ISO 7064 MOD 11-2 check character of an 18-character ID."""
    total = sum(int(d) * w for d, w in zip(digits[:17], _ID_WEIGHTS, strict=True))
    return "10X98765432"[total % 11] == digits[17].upper()


def _luhn_ok(digits: str) -> bool:
    """Luhn check used by bank cards."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _cue_before(cue: re.Pattern[str], text: str, start: int, width: int = 12) -> bool:
    return cue.search(text, max(0, start - width), start) is not None


def _ids(t: str) -> Iterator[tuple[str, int, int]]:
    for m in _ID18.finditer(t):
        digits = m.group().replace(" ", "")
        if _id_ok(digits) or _cue_before(_ID_CUE, t, m.start()):
            yield "id_card", m.start(), m.end()
    for m in _ID15.finditer(t):
        yield "id_card", m.start(), m.end()


def _cards(t: str) -> Iterator[tuple[str, int, int]]:
    for m in _CARD.finditer(t):
        digits = re.sub(r"[ -]", "", m.group())
        if not 16 <= len(digits) <= 19 or len(set(digits)) < 3 or _cue_before(_CARD_NOT, t, m.start()):
            continue
        if _luhn_ok(digits) or _cue_before(_CARD_CUE, t, m.start()):
            yield "bank_card", m.start(), m.end()


def _simple(kind: str, pattern: re.Pattern[str]) -> Callable[[str], Iterator[tuple[str, int, int]]]:
    def scan(t: str) -> Iterator[tuple[str, int, int]]:
        for m in pattern.finditer(t):
            yield kind, m.start(), m.end()

    return scan


def _phones(t: str) -> Iterator[tuple[str, int, int]]:
    for m in _PHONE.finditer(t):
        yield "phone", m.start(), m.end()
    for m in _PHONE_CUED.finditer(t):
        yield "phone", m.start(1), m.end(1)


def _plates(t: str) -> Iterator[tuple[str, int, int]]:
    for m in _PLATE.finditer(t):
        if any(c.isdigit() for c in m.group()[2:]):
            yield "plate", m.start(), m.end()


def _name_at(t: str, i: int, strict: bool) -> int:
    """Length of a plausible name starting at i (surname + 1-2 characters), 0 if none."""
    single, compound = _surnames()
    sl = 2 if t[i : i + 2] in compound else 1 if t[i : i + 1] in single else 0
    if not sl:
        return 0
    for given in (2, 1):
        end = i + sl + given
        part = t[i + sl : end]
        if len(part) < given or not all("\u4e00" <= c <= "\u9fff" for c in part):
            continue
        if (
            any(c in _GIVEN_BAD for c in part)
            or part[-1] in _NAME_STOP
            or t[end - 1 : end + 1] in _SPLIT_WORDS
        ):
            continue
        if _AFTER_NAME.match(t, end) or (not strict and given == 2):
            return sl + given
    return 0


def _names(t: str) -> Iterator[tuple[str, int, int]]:
    for m in _NAME_CUE.finditer(t):
        weak = m.group(1) == "本人"
        if weak and m.start() > 0 and t[m.start() - 1] not in _SENTENCE_START:
            continue  # "退还本人费用": 本人 as an object, not a self-introduction
        length = _name_at(t, m.end(), strict=weak)
        if length:
            yield "name", m.end(), m.end() + length
    for m in _TITLE.finditer(t):
        found = _name_before_title(t, m.start())
        if found:
            yield "name", m.start() - found, m.start()


def _name_before_title(t: str, p: int) -> int:
    """Length of the name right before 先生/女士 at p: a full name after a boundary, else the surname."""
    single, compound = _surnames()
    for length in (4, 3, 2):
        i = p - length
        bounded = i == 0 or (i > 0 and t[i - 1] in _TITLE_BEFORE)
        if i < 0 or not (bounded or length == 3):
            continue
        sl = 2 if t[i : i + 2] in compound else 1 if t[i] in single else 0
        given = t[i + sl : p]
        if any(c in _ROLE for c in given) and (not bounded or length > 2):
            continue  # 书记沈谋裕先生 is a name, 感谢局长先生 and 经理王先生 are not
        han = all("\u4e00" <= c <= "\u9fff" for c in given)
        if sl and 1 <= len(given) <= 2 and han and not any(c in _GIVEN_BAD or c in _NAME_STOP for c in given):
            return length
    if t[max(0, p - 2) : p] in compound:
        return 2
    return 1 if p >= 1 and t[p - 1] in single else 0


_LONG_NUMBER = re.compile(r"\d(?:[ -]?\d){6,}")
_ADDRESS_HINTS = ("栋", "幢", "楼", "座", "单元", "-")


def _scanners(t: str) -> Iterator[Callable[[str], Iterator[tuple[str, int, int]]]]:
    """The scanners worth running on t, in priority order (cheap substring tests skip the rest)."""
    long_number = _LONG_NUMBER.search(t) is not None
    if long_number:
        yield _ids
        yield _cards
    if "@" in t:
        yield _scan_email
    if long_number:
        yield _scan_mobile
        yield _phones
    yield _plates
    if any(h in t for h in _ADDRESS_HINTS):
        yield _scan_address
    yield _names


_scan_email = _simple("email", _EMAIL)
_scan_mobile = _simple("mobile", _MOBILE)
_scan_address = _simple("address", _ADDR)


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
