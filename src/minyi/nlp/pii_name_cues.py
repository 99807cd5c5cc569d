"""More cues for bare personal names (市民欧阳建华提出的…, 张伟等提出的…, 关于王小明所在小区…, 李建国、王秀兰).

Each cue only admits a name that minyi.nlp.pii_names.plausible accepts (a surname and common given-name
characters) and that does not end like a place (黄兴路, 王家湾); names() adds these to pii_names' own rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from minyi.nlp import pii_names
from minyi.nlp.pii_names import Hit, is_han, plausible, surname_len
from minyi.nlp.pii_names import word_set as _word_set

# Who a message names by the part they play: 市民, 来信人, 车主, 社区书记, 我外婆… then the name.
_WHO_CUE = re.compile(
    r"(?=[市居网群来信留咨签联租承出受被车快骑外民辅书主经家姥舅姑孙侄申投举反当])(?:市民|居民|网民|群众|网友|来信人|信访人|来电人|留言人|来访人|咨询人|签收人|联名人|签名人|租户|承租人"
    r"|出租人|受害人|被害人|被投诉人|被举报人|车主|快递员|骑手|外卖员|民警|辅警|书记|主任|经理|家长|外婆|外公"
    r"|姥姥|姥爷|舅舅|姑姑|孙子|孙女|侄子|侄女|(?:申请人|投诉人|举报人|反映人|当事人|联系人)为)[:： ]*"
)
# 张伟等提出的…, 杨秀英等五户…, 蒋国华等人…: a name, then 等 and who or what follows.
_AFTER_DENG = re.compile(
    r"等(?:人|提出|反映|投诉|举报|来信|来电|联名|共同|\d|[一二两三四五六七八九十几多数]+[户名位人个家])"
)
# 关于王小明所在…, 对唐建新所反映…, 关于郑海波反映…, 关于欧阳丽华的来信: what the name is the subject of.
_ABOUT_CUE = re.compile(r"(?:关于|对)(?=[\u4e00-\u9fff]{2})")
_ABOUT_ACT = re.compile(
    r"所|反映|信访|来信|来电|提出|投诉|举报|咨询|求助|诉求|的来信|的信访|的诉求|的投诉|的举报|等(?=\S)"
)
# What may follow the last name of a list: a separator, the end, 等 or how many they are.
_LIST_END = re.compile(r"$|[\s、，,。；;）)]|等|[两二三四五六七八九几]位|共同|联名")
_LIST_SEP = "、，,"
# Last characters of places and streets, never of the names these cues admit.
_PLACE_END = set("路街巷村镇乡区县市省桥湾坪岭塘冲铺庄屯堡寨苑厂店站园里弄组队馆")
# Words a cue may be followed by that start with a surname (还市民安静的…, 居民凌晨还…, 黄花等9个镇).
_NOT_NAMES = _word_set(
    "文中 文件 安静 凌晨 查明 查处 查看 黄花 连正 和平 和谐 向前 通知 易于 方便 任何 于是 常年 常常"
)
# A verb the last given character would start (郭钢求助 is 郭钢 asking for help): the name ends before it.
_VERB_AFTER = _word_set("求助 请求 咨询 反映 投诉 举报 处理 批示 带队 签订 签字 来电 来信 表示 称其 说明")


def _looks_like_place(t: str, i: int, n: int) -> bool:
    """Whether the candidate ends like a place or is a common word (then it is not taken for a name)."""
    return t[i + n - 1] in _PLACE_END or t[i + n : i + n + 1] in _PLACE_END or t[i : i + n] in _NOT_NAMES


def _trimmed(t: str, i: int, n: int) -> int:
    """n, or one less when the last character starts a verb with the next one (郭钢求助)."""
    return n - 1 if n > surname_len(t, i) + 1 and t[i + n - 1 : i + n + 1] in _VERB_AFTER else n


def _starts_clause(t: str, i: int) -> bool:
    """Whether a name may start at i: the text's start, punctuation, a list separator, 关于/对/由 or 的."""
    return i == 0 or not is_han(t[i - 1]) or t[i - 1] in "、的由对是与和及" or t[max(0, i - 2) : i] == "关于"


def _name_then(t: str, i: int, follows: re.Pattern[str]) -> int:
    """Length of a plausible name at i (the longest, else one shorter) that `follows` matches after."""
    length = plausible(t, i)
    surname = surname_len(t, i)
    for n in (length, length - 1) if length else ():
        if n > surname and follows.match(t, i + n) and not _looks_like_place(t, i, n):
            return n
    return 0


def _name_ending_at(t: str, q: int) -> int:
    """Length of a plausible name that ends at q and starts a clause, 0 if none."""
    for n in (4, 3, 2):
        i = q - n
        if (
            i >= 0
            and _starts_clause(t, i)
            and plausible(t[:q], i) == n
            and not _looks_like_place(t[:q], i, n)
        ):
            return n
    return 0


def _cued(t: str) -> Iterator[Hit]:
    for m in _WHO_CUE.finditer(t):
        n = _trimmed(t, m.end(), plausible(t, m.end()))
        if n and not _looks_like_place(t, m.end(), n):
            yield "name", m.end(), m.end() + n
    if "等" in t:
        for m in _AFTER_DENG.finditer(t):
            n = _name_ending_at(t, m.start())
            if n:
                yield "name", m.start() - n, m.start()
    for m in _ABOUT_CUE.finditer(t):
        n = _name_then(t, m.end(), _ABOUT_ACT)
        if n:
            yield "name", m.end(), m.end() + n
    p = t.find("、")
    while p != -1:  # two names side by side in a list start one: 周建国、吴春梅等人
        before = _name_ending_at(t, p)
        after = _name_then(t, p + 1, _LIST_END) if before else 0
        if after:
            yield "name", p - before, p
            yield "name", p + 1, p + 1 + after
        p = t.find("、", p + 1)


def _listed_after(t: str, end: int) -> Iterator[Hit]:
    """The names that follow a found name in a list (李建国、王秀兰、张志华)."""
    while end < len(t) and t[end] in _LIST_SEP:
        start = end + 1
        while start < len(t) and t[start] == " ":
            start += 1
        n = _name_then(t, start, _LIST_END)
        if not n:
            return
        yield "name", start, start + n
        end = start + n


def names(t: str) -> Iterator[Hit]:
    """Every name pii_names finds and the ones these cues add, with the names listed after each."""
    hits = [*pii_names.names(t), *_cued(t)]
    yield from hits
    for _, _, end in hits:
        yield from _listed_after(t, end)
