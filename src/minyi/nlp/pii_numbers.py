"""Personal numbers for minyi.nlp.pii: IDs, bank cards, phones (also in Chinese numerals), plates, WeChat and QQ."""

from __future__ import annotations

import re
from collections.abc import Iterator

Hit = tuple[str, int, int]

_PROV = r"(?:1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[12])"
_DAY = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
# 18 characters, optionally split by one space, dash or dot anywhere (510104-19900101-1230, 5101 0419 …).
_ID18 = re.compile(r"(?=\d)(?<![0-9A-Za-z])\d(?:[ .\-]?\d){16}[ .\-]?[0-9Xx](?![0-9A-Za-z])")
_ID18_SHAPE = re.compile(rf"{_PROV}\d{{4}}(?:18|19|20)\d{{2}}{_DAY}\d{{3}}[0-9Xx]")
_ID15 = re.compile(rf"(?=\d)(?<![0-9A-Za-z]){_PROV}\d{{6}}{_DAY}\d{{3}}(?![0-9A-Za-z])")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CUE = re.compile(r"身份证|证件号|公民身份")
_SEPARATORS = re.compile(r"[ .\-—]")
_MOBILE = re.compile(
    r"(?=[0-9+(])(?<![0-9+])(?:(?:\+|00)?86[ -]?|\(\+?86\) ?)?"
    r"1[3-9]\d(?:(?:[ -]?\d{4}){2}|([.—])\d{4}\1\d{4})(?![0-9]|\.\d)"
)
_AREA = r"0(?:10|2\d|[3-9]\d{2})"
_EXT = r"(?:(?:转|-|分机|ext\.?|x)\d{1,5}(?![0-9]))?"
_PHONE = re.compile(rf"(?=[0(])(?<![0-9.])(?:\({_AREA}\) ?|{_AREA}[ .\-]?)[2-9]\d{{6,7}}(?![0-9]){_EXT}")
_PHONE_CUED = re.compile(
    rf"(?=[电座固联tT])(?:电话|座机|固话|联系方式|tel|Tel|TEL)(?:号码|号)?(?:是|为)?[:： ]*([2-9]\d{{6,7}}(?![0-9]){_EXT})"
)
_EMAIL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,10}")
_CARD = re.compile(r"(?=\d)(?<![0-9])(?:\d{16,19}|\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?)(?![0-9])")
_CARD_CUE = re.compile(r"卡号|银行卡|账号|帐号|储蓄卡|信用卡|借记卡|工资卡")
_ORDER_CUE = re.compile(r"订单|单号|工单|编号|流水|快递|运单|案号|合同号|发票")
_PROV_CH = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PL = "A-HJ-NP-Za-hj-np-z"
_PLATE = re.compile(
    rf"(?=[{_PROV_CH}])(?<![A-Za-z0-9])[{_PROV_CH}] ?[{_PL}][ ·•.-]?"
    rf"(?:[DFdf][{_PL}0-9]\d{{4}}|\d{{5}}[DFdf]|[{_PL}0-9]{{4}}[{_PL}0-9挂学警])(?![A-Za-z0-9])"
)
# Phones written in Chinese numerals (一三八…, 壹叁捌…, 幺 for one): mapped one for one to digits.
_CN_DIGITS = str.maketrans("零〇○一幺壹二贰三叁四肆五伍六陆七柒八捌九玖", "0001112233445566778899")
_CN_RUN = re.compile("[零〇○一幺壹二贰三叁四肆五伍六陆七柒八捌九玖0-9]{11,}")
_ACCOUNT_CUE = re.compile(
    r"(?=[微薇威VvWwQq扣企加])(?:微信|薇信|威信|[Vv]信|[VvWw][Xx]|weixin|[Ww]e[Cc]hat|QQ|qq|Qq|扣扣|企鹅号|Q号|加[微Vv])"
)
_ACCOUNT_SUFFIX = r"(?:号码|号|账号|帐号|ID|id)?(?:是|为)?"
_ID_WORD = r"(?:号码|号|账号|帐号|ID|id)"
# A latin cue (vx, wx, wechat) needs a separator before the id: a colon or space, 是/为, or 号.
_WECHAT = re.compile(
    rf"(?=[微薇威VvWw加])(?:(?:微信|薇信|威信|[Vv]信|加[微Vv](?![信Xx])){_ACCOUNT_SUFFIX}[:： ]*"
    rf"|(?<![A-Za-z])(?:[VvWw][Xx]|weixin|[Ww]e[Cc]hat)"
    rf"(?:{_ID_WORD}?(?:是|为)[:： ]*|{_ID_WORD}?[:： ]+|(?:号码|号|账号)))"
    r"([A-Za-z][-_A-Za-z0-9]{5,19}|\d{5,12})(?![-_A-Za-z0-9@])"
)
_QQ = re.compile(
    rf"(?=[Qq扣企])(?:(?<![A-Za-z])(?:QQ|qq|Qq)|扣扣|企鹅号|Q号){_ACCOUNT_SUFFIX}[:： ]*([1-9]\d{{4,10}})(?![0-9@])"
)


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


def ids(t: str) -> Iterator[Hit]:
    """18-character IDs (any separators; valid check or an ID cue) and 15-digit old IDs."""
    for m in _ID18.finditer(t):
        digits = _SEPARATORS.sub("", m.group())
        if not _ID18_SHAPE.fullmatch(digits):
            continue
        cued = _cue_before(_ID_CUE, t, m.start())
        if cued or (_id_ok(digits) and not _cue_before(_ORDER_CUE, t, m.start())):
            yield "id_card", m.start(), m.end()
    for m in _ID15.finditer(t):
        yield "id_card", m.start(), m.end()


def cards(t: str) -> Iterator[Hit]:
    """16-19 digit card numbers with a Luhn check or a card cue, never after an order cue."""
    for m in _CARD.finditer(t):
        digits = re.sub(r"[ -]", "", m.group())
        if not 16 <= len(digits) <= 19 or len(set(digits)) < 3 or _cue_before(_ORDER_CUE, t, m.start()):
            continue
        if _luhn_ok(digits) or _cue_before(_CARD_CUE, t, m.start()):
            yield "bank_card", m.start(), m.end()


def emails(t: str) -> Iterator[Hit]:
    for m in _EMAIL.finditer(t):
        yield "email", m.start(), m.end()


def mobiles(t: str) -> Iterator[Hit]:
    for m in _MOBILE.finditer(t):
        yield "mobile", m.start(), m.end()


def cn_mobiles(t: str) -> Iterator[Hit]:
    """Mobiles written (partly) in Chinese numerals: 一三八…, 壹叁捌…, 幺 for one (one character for one digit)."""
    for run in _CN_RUN.finditer(t):
        if run.group().isascii():
            continue
        for m in _MOBILE.finditer(run.group().translate(_CN_DIGITS)):
            yield "mobile", run.start() + m.start(), run.start() + m.end()


def phones(t: str) -> Iterator[Hit]:
    for m in _PHONE.finditer(t):
        yield "phone", m.start(), m.end()
    for m in _PHONE_CUED.finditer(t):
        yield "phone", m.start(1), m.end(1)


def plates(t: str) -> Iterator[Hit]:
    for m in _PLATE.finditer(t):
        if any(c.isdigit() for c in m.group()[2:]):
            yield "plate", m.start(), m.end()


def accounts(t: str) -> Iterator[Hit]:
    """WeChat ids and QQ numbers, only after their cue (微信/VX/wx…, QQ/扣扣…)."""
    if _ACCOUNT_CUE.search(t) is None:
        return
    for m in _WECHAT.finditer(t):
        yield "wechat", m.start(1), m.end(1)
    for m in _QQ.finditer(t):
        yield "qq", m.start(1), m.end(1)
