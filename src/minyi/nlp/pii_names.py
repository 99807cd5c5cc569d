"""Personal names for minyi.nlp.pii: after a cue (我叫, 邻居, 姓名：), before a title (先生, 同志) or 您好, at a title's start."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources

Hit = tuple[str, int, int]

_HAN = "\u4e00-\u9fff"
_NAME_CUE = re.compile(
    r"(?=[我本姓联申投举反当户署落收经])(我叫|我名叫|我的名字(?:叫|是)|本人叫|本人名叫|本人姓名|姓名(?=[:： 是为])(?:是|为)?|联系人|本人"
    r"|(?:申请人|投诉人|举报人|反映人|当事人|户主|户名|署名|落款|收件人|经办人)[:：])[:： ]*(?=["
    + _HAN
    + "])"
)
# A relation or role right before a name (邻居刘德明, 我爱人王秀英): the name must look like one (see plausible).
_RELATION_CUE = re.compile(
    r"(?:邻居|邻居家的|家属|爱人|丈夫|妻子|老公|老婆|儿子|女儿|父亲|母亲|我爸|我妈|同事|房东|租客|室友|亲戚|业主"
    r"|申请人|投诉人|举报人|反映人|当事人|户主|户名|收件人|经办人|负责人|老板|工友|包工头|村民|患者)"
    r"[:： ]?"
)
# Weaker cues (学生, 我是, 经办人是…): the name must also end at punctuation or a self-introduction word.
_WEAK_CUE = re.compile(
    r"(?:学生|孩子|员工|职工|工人|病人|老师|医生|护士|司机|保安|我是"
    r"|(?:申请人|投诉人|举报人|反映人|当事人|经办人|负责人|联系人|户主)(?:是|叫))"
)
_WEAK_END = re.compile(r"$|[\s，,。.、;；:：!！?？()（）]|男|女|今年|现年|在")
# A name then the role it is known by (冯桂芝老人, 高振华师傅) or the act it is named for (由郑晓东负责).
_ROLE_AFTER = re.compile(r"老人|师傅|老师|大爷|大妈|阿姨|老伯|奶奶|爷爷|医生|护士|律师|同学")
_BY_CUE = re.compile(r"[由代替帮]")
_BY_ACT = re.compile(r"负责|处理|经手|经办|签字|签收|办理|承办|咨询|反映|投诉|申请|领取")
_TITLE = re.compile(r"先生|女士|小姐|同志")
_GREETING = re.compile(r"[:：，, ]*(?:您好|你好)")
# A title's first words when a bare name leads it: 王小明 投诉噪音, 李秀英实名举报….
_TITLE_VERB = re.compile(
    r"[ \u3000:：，,\-—－】\]）)]*(?:实名|再次|多次|一再|强烈)?(?:投诉|反映|举报|咨询|求助|建议|请求|要求|申请|控告|来信|诉求|关于)"
)
# After a name: punctuation, end, or a word that usually follows a self-introduction.
_AFTER_NAME = re.compile(
    r"(?:$|[\s，,。.、;；:：!！?？()（）]|是|系|男|女|今年|现年|出生|身份证|电话|手机|联系|家住|住|现|在|的|，|户主|业主|同志)"
)
_SENTENCE_START = set("，,。.!！?？:：;；、 \n\t\r(（)）》”\"'_")
_NAME_STOP = set("是系男女今现在的住家和与及于从向因为了说等")
_SPLIT_WORDS = frozenset(
    {"电话", "手机", "身份", "地址", "家住", "联系", "微信", "先生", "女士", "邮箱", "同志"}
)
_ROLE = set("长理事客所局厅县市委记任总老员官警董经师主")
_GIVEN_BAD = set("某XＸ×*＊先女姐")
_TITLE_BEFORE = set("的位请找向和与给叫是被由系即及于人长、，,：: ")
# Common given-name characters: a name found without a strong cue must be made of them.
_GIVEN_OK = frozenset(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红梅志文辉海波玲萍燕琴云莉兰凤洁琳素慧婷雪颖倩欣怡"
    "佳月莹玉珍芬荣爱春花菊香美琼妮蓉薇媛瑶璐晶丹彤岚露青清宁悦诗思雨雅婧馨梦琪涵晨曦紫若依宇浩鹏飞斌峰鑫宏"
    "新东林亮成俊龙庆兵利生福发贵财祥安德胜忠义礼仁信孝武全金银宝山松柏江河川中正永昌盛兴旺才锋钢振家根元"
    "民友喜乐康健寿远达立伦轩博睿哲航宸昊然煜泽瑞凯嘉琦霖铭皓晗宾彬杉楠森欢洪亭婉佩蕾蓓慈惠淑贤巧翠珠娇娥"
    "秋冬晓小大三四五九承继绍世学书卫革跃进援朝阳旭晖耀辰星坤乾桦梁栋彪虎鹰鹤麟舟帆浪泉源溪渊滨洲峻岩岭岳"
    "崇巍毅恒勤俭诚忆恩望希兆吉顺泰丰裕富茂芝荷莲菲芸萱苗茜蕊芹萌霏虹彩锦绣纯绮维坚培基增垚堂均圣子豪"
)


def word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# A surname and one more character that make an ordinary word, not a name (黄金, 文明, 房东…).
_WORDS = word_set(
    "黄金 文明 房东 安全 万达 白天 许可 师生 农民 官兵 金华 江山 高新 高大 高兴 高峰 高中 高级 马达 方向 方案 "
    "周全 周到 周年 毛利 石林 钟山 林业 罗马 谢谢 秦岭 明天 明年 明白 明星 成立 成功 成都 华人 华东 华中 "
    "龙华 龙岗 江南 江北 江西 安康 安定 安宁 武昌 武汉 宁波 常德 常州 岳阳 古城 平安 向阳 向东 钱江 万家 "
    "全家 全新 全民 关心 时间 包括 应该 于是 程序 祝福 康复 温馨 夏天 冬天 秋天 春天 文化 文学 田园 水利 "
    "钱财 水源 金融 金额 金山 车主 车站 邓小平 毛泽东 黎明 贺喜 庞大 简单 管理 单元 单位 连续 项目 路灯 路口 "
    "白云 宋朝 唐朝 东方 上海 欧洲 司机 严重 段落 邵阳 衡阳 湘潭 余额 余下 付款 申请 邮政 史上 景区 施工"
)
# Characters that start the next word after a two-character name (王强说, 李华不退…), so the name ends there.
_NEXT_WORD = set(
    "的了在是说讲称要让把被将和与跟同对向从给用因于带找打骂占搭私擅违拒不没未已曾也都就又还再每天年月日"
    "昨今前后早晚现家等一多很太最才刚正自去来回到上下个们这那有会能可以为而但却并及或即系男女住你您我他她"
)
_NOT_GIVEN = word_set("大人 小姐 大爷 大妈 大姐 大哥 小孩 大家 老师 师傅 书记")
_GIVEN1_BAD = set("家氏姓某总工局老师哥姐叔姨婶伯爷奶妈嫂子")
_KIN_AFTER = set("爷叔姨婶伯奶妈嫂哥姐总工局老师经某氏")
_BOUNDARY_HAN = set("的是叫请找向和与给被由系即及")


@lru_cache(maxsize=1)
def surnames() -> tuple[frozenset[str], frozenset[str]]:
    """Single and compound surnames from the lexicon file."""
    raw = resources.files("minyi.nlp").joinpath("lexicons/surnames.txt").read_text("utf-8")
    words = [w for line in raw.splitlines() if not line.startswith("#") for w in line.split()]
    return frozenset(w for w in words if len(w) == 1), frozenset(w for w in words if len(w) == 2)


def surname_len(t: str, i: int) -> int:
    single, compound = surnames()
    return 2 if t[i : i + 2] in compound else 1 if t[i : i + 1] in single else 0


def plausible(t: str, i: int, strong: bool = False) -> int:
    """Length of a name made of a surname and 1-2 common given-name characters at i, 0 if none.

    With a strong cue (a greeting, 同志) a one-character given name may also be 家 or 子.
    """
    sl = surname_len(t, i)
    if not sl:
        return 0
    given = t[i + sl : i + sl + 2]
    second_ok = len(given) == 2 and (
        given[1] in _GIVEN_OK or (is_han(given[1]) and given[1] not in _NEXT_WORD and given[1] not in _ROLE)
    )
    n = 2 if given[:1] and given[0] in _GIVEN_OK and second_ok else 0
    if not n and given[:1] and given[0] in _GIVEN_OK and (strong or given[0] not in _GIVEN1_BAD):
        n = 1
    if n == 2 and given in _NOT_GIVEN:
        return 0
    if not n or t[i : i + sl + 1] in _WORDS or t[i + sl + n : i + sl + n + 1] in _KIN_AFTER:
        return 0
    return sl + n


def _name_at(t: str, i: int, strict: bool) -> int:
    """Length of a plausible name starting at i (surname + 1-2 characters), 0 if none."""
    sl = surname_len(t, i)
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


def _name_before_title(t: str, p: int, careful: bool) -> int:
    """Length of the name right before a title at p: a full name after a boundary, else the surname."""
    for length in (4, 3, 2):
        i = p - length
        bounded = i == 0 or (i > 0 and t[i - 1] in _TITLE_BEFORE)
        if i < 0 or not (bounded or length == 3):
            continue
        if careful:
            if bounded and plausible(t, i, strong=True) == length:
                return length
            continue
        sl = surname_len(t, i)
        given = t[i + sl : p]
        if any(c in _ROLE for c in given) and (not bounded or length > 2):
            continue  # 书记沈谋裕先生 is a name, 感谢局长先生 and 经理王先生 are not
        han = all("\u4e00" <= c <= "\u9fff" for c in given)
        if sl and 1 <= len(given) <= 2 and han and not any(c in _GIVEN_BAD or c in _NAME_STOP for c in given):
            return length
    _, compound = surnames()
    if t[max(0, p - 2) : p] in compound:
        return 2
    if (
        p >= 1
        and surname_len(t, p - 1)
        and (not careful or p == 1 or not is_han(t[p - 2]) or t[p - 2] in "的位")
    ):
        return 1
    return 0


def is_han(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


def _bounded(t: str, i: int) -> bool:
    """Whether a name may start at i: the text's start, after punctuation, or after 的/尊敬的/亲爱的."""
    return i == 0 or not is_han(t[i - 1]) or t[i - 1] in _BOUNDARY_HAN


def _name_ending_at(t: str, q: int) -> int:
    """Length of a plausible name that ends exactly at q and starts at a boundary, 0 if none."""
    for length in (4, 3, 2):
        i = q - length
        if i >= 0 and _bounded(t, i) and plausible(t[:q], i, strong=True) == length:
            return length
    return 0


def names(t: str) -> Iterator[Hit]:
    """Every name the rules find, possibly overlapping (find() keeps the first)."""
    for m in _NAME_CUE.finditer(t):
        weak = m.group(1) == "本人"
        if weak and m.start() > 0 and t[m.start() - 1] not in _SENTENCE_START:
            continue  # "退还本人费用": 本人 as an object, not a self-introduction
        length = _name_at(t, m.end(), strict=weak)
        if length:
            yield "name", m.end(), m.end() + length
    for m in _RELATION_CUE.finditer(t):
        length = plausible(t, m.end())
        if length:
            yield "name", m.end(), m.end() + length
    for m in _TITLE.finditer(t):
        found = _name_before_title(t, m.start(), careful=m.group() == "同志")
        if found:
            yield "name", m.start() - found, m.start()
    yield from _greetings_and_title_starts(t)
    yield from _roles_and_acts(t)


def _roles_and_acts(t: str) -> Iterator[Hit]:
    """学生何俊杰， / 我是马德明， (weak cue, bounded end); 冯桂芝老人 / 高振华师傅 at the start of a clause;
    由郑晓东负责 / 代赵建华咨询 (a plausible name only)."""
    for m in _WEAK_CUE.finditer(t):
        length = plausible(t, m.end())
        if length and _WEAK_END.match(t, m.end() + length):
            yield "name", m.end(), m.end() + length
    for m in _ROLE_AFTER.finditer(t):
        q = m.start()
        for length in (4, 3):
            i = q - length
            if (
                i >= 0
                and (i == 0 or not is_han(t[i - 1]) or t[i - 1] in "的是叫")
                and plausible(t[:q], i) == length
            ):
                yield "name", i, q
                break
    for m in _BY_CUE.finditer(t):
        length = plausible(t, m.end())
        if length and _BY_ACT.match(t, m.end() + length):
            yield "name", m.end(), m.end() + length


def _greetings_and_title_starts(t: str) -> Iterator[Hit]:
    if "好" in t:
        for m in re.finditer("您好|你好", t):
            q = m.start()
            while q > 0 and t[q - 1] in ":：，, ":
                q -= 1
            length = _name_ending_at(t, q)
            if length:
                yield "name", q - length, q
    for start in _line_starts(t):
        i = start
        while i < len(t) and t[i] in " \t【[":
            i += 1
        length = plausible(t, i)
        for n in (length, length - 1) if length else ():
            if n > surname_len(t, i) and _TITLE_VERB.match(t, i + n):
                yield "name", i, i + n
                break


def _line_starts(t: str) -> Iterator[int]:
    yield 0
    pos = t.find("\n")
    while pos != -1:
        yield pos + 1
        pos = t.find("\n", pos + 1)
