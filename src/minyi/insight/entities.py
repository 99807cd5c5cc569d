"""Find the concrete place (…小区/…村/…路/…学校…) and group of people a message is about, by pattern."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import rjieba

from minyi.nlp.text import normalize


def _words(text: str) -> list[str]:
    return text.split()


# Masked administrative names of the data (西地省, A市, A3区, A7县, K9县) and real-style ones (长沙市, 岳麓区).
REGION = re.compile(r"西地省|[A-Z]\d{0,2}市|[A-Z]\d{1,2}[区县]")
DISTRICT = re.compile(r"[A-Z]\d{1,2}[区县]")
SUFFIXES = list(
    _words(
        "小区 花园 花苑 家园 新城 新村 公寓 大厦 广场 社区 街道 村 组 镇 乡 路 街 大道 巷 学校 小学 中学 大学 学院 幼儿园 医院 公司 物业 市场 "
        "工厂 厂 车站 站 号线 线 高速 项目 公园 湖 桥 城 苑 湾 府 园 楼盘 安置区 片区 工业园 商业街 隧道 机场 中心 集团 银行 酒店 半岛 山庄 "
        "华庭 公馆 庄园 名都 世家 豪庭 雅苑 案"
    )
)
_SUFFIX_SET = sorted(SUFFIXES, key=len, reverse=True)
NAME_POS = set(_words("n ns nr nrt nrfg nz nt ng j eng m zg x an b l i s"))
GENERIC = set(
    list(
        _words(
            "该 本 我 我们 我家 我村 你 他们 这个 那个 这些 那些 附近 周边 整个 所有 各 各个 全 老旧 城市 农村 新 老 大 小 职工 周边小区 居民 "
            "住宅 商品房 安置 其他 一个 多个 这 那 此 有关 相关 市 区 县 省 国家 公共 城区 市区 乡村 物业 开发商 小区 业主 政府 部门 公交 地铁 "
            "道路 马路 公路 街道 学校 银行 公司 医院 中心 项目 社区 有限 有限公司 区政府 市政府 县政府 建设 规划 新建 沿线 至 沿 在 到 我区 我市 "
            "我县 贵 原 一家 一 二 三"
        )
    )
)
PEOPLE = list(
    _words(
        "退休教师 退休职工 退休人员 教师 老师 学生 家长 业主 村民 居民 职工 员工 工人 农民工 司机 出租车司机 网约车司机 商户 摊贩 患者 老人 残疾人 "
        "军人 退役军人 失地农民 拆迁户 租户 考生 幼儿 医生 护士 协警 辅警 环卫工人"
    )
)
_PEOPLE_RE = re.compile("|".join(sorted(PEOPLE, key=len, reverse=True)))
CONTAINERS = ("街道", "镇", "乡", "社区", "路", "街", "大道", "区", "县")
_BAD_START = re.compile(r"^(?:地处|位于|代表|我|该|本|至|沿|在|到|从|对|据|这|那|其|一家|一个|有|是|将|已)")
RESIDENTIAL = ("小区", "花园", "家园", "公寓", "楼盘")
SITES = tuple(
    list(
        _words(
            "小区 花园 花苑 家园 新城 新村 公寓 大厦 村 组 学校 小学 中学 幼儿园 医院 苑 府 园 湾 半岛 山庄 华庭 公馆 庄园"
        )
    )
)
_OFFICIAL = re.compile(r"政府|市委|党委|部门|有限公司$|集团有限|分局|执法局|管理局|[^\w]")
_SPLIT = re.compile(r"[\s，。！？；：、,.!?;:（）()《》“”\"'【】\[\]…—\-~/]+")


@dataclass(frozen=True, slots=True)
class Entities:
    """What one message names: its district, its concrete places and the groups of people in it."""

    district: str | None
    places: tuple[str, ...]
    people: tuple[str, ...]


PROPER_POS = frozenset({"nr", "ns", "nrt", "nrfg", "nz", "nt", "j", "eng", "m"})


@lru_cache(maxsize=200_000)
def is_name(word: str) -> bool:
    """A proper name rather than a common word: unknown to the dictionary, or tagged as a name or number."""
    if not rjieba.has_word(word):
        return True
    tags = rjieba.tag(word)
    return len(tags) == 1 and tags[0][1] in PROPER_POS


_SUFFIX_BY_LEN = {n: {x for x in SUFFIXES if len(x) == n} for n in (3, 2, 1)}


@lru_cache(maxsize=500_000)
def _suffix_of(token: str) -> str | None:
    for n, group in _SUFFIX_BY_LEN.items():
        if len(token) >= n and token[-n:] in group:
            return token[-n:]
    return None


def _places_in_clause(clause: str) -> list[str]:
    found: list[str] = []
    tags = [(w, p) for w, p in rjieba.tag(clause) if w.strip()]
    i = 0
    while i < len(tags):
        word, pos = tags[i]
        suf = _suffix_of(word)
        if suf is None or pos.startswith("v") and len(word) <= len(suf):
            i += 1
            continue
        if i + 1 < len(tags) and _suffix_of(tags[i + 1][0]) and tags[i + 1][0] not in CONTAINERS:
            i += 1  # 雅园/小区: emit the longer name at the next token
            continue
        # Absorb a following suffix-token into one name (e.g. 魏家坡/小区 then 一期 is not a suffix: stop).
        name = word
        j = i - 1
        while j >= 0 and len(name) < 12:
            prev, ppos = tags[j]
            if ppos not in NAME_POS or prev in GENERIC or not re.fullmatch(r"\w+", prev):
                break
            if any(prev.endswith(c) for c in CONTAINERS) and len(name) > len(suf):
                break
            name = prev + name
            j -= 1
        name = _BAD_START.sub("", name)
        stem = name[: -len(suf)]
        if (
            (
                len(stem) >= 2
                and name not in GENERIC
                and stem not in GENERIC
                and not _OFFICIAL.search(name)
                and is_name(stem)
                and not _GENERIC_STEM.match(stem)
            )
            and not stem.isdigit()
            and not _BAD_START.match(stem)
        ):
            found.append(name)
        i += 1
    return found


def extract(title: str, text: str = "", *, head_chars: int = 300, normalized: bool = False) -> Entities:
    """Entities of a message, from its title and the beginning of its text (pass normalized=True if both are)."""
    blob = title + "。" + text[:head_chars] if normalized else normalize(title + "。" + text[:head_chars])
    district_m = DISTRICT.search(title) or DISTRICT.search(blob)
    places: list[str] = []
    for clause in _SPLIT.split(REGION.sub("。", blob)):
        if len(clause) >= 3:
            places.extend(_places_in_clause(clause))
    people = _PEOPLE_RE.findall(blob)
    # Interned: the same few thousand names recur across millions of messages.
    return Entities(
        district=sys.intern(district_m.group(0)) if district_m else None,
        places=tuple(sys.intern(x) for x in dict.fromkeys(places)),
        people=tuple(sys.intern(x) for x in dict.fromkeys(people)),
    )


def strip_names(text: str, names: Iterable[str]) -> str:
    """Remove region masks and the given place names, leaving what the message says is wrong."""
    out = REGION.sub(" ", text)
    for name in sorted(names, key=len, reverse=True):
        out = out.replace(name, " ")
    return out


_PHASE = re.compile(r"(?:[一二三四五六七八九十\d]+期)+(?:小区|项目)?$")
_GENERIC_STEM = re.compile(r"^(?:普惠|公办|民办|配套|私立|公立|非法|违规|违法|临时|周边|附近)")


def place_key(name: str) -> str:
    """Comparable form of a place name: 魏家坡小区, 魏家坡 and 魏家坡二期 share the key 魏家坡."""
    stripped = _PHASE.sub("", name)
    if len(stripped) >= 2:
        name = stripped
    for suf in RESIDENTIAL:
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            return name[: -len(suf)]
    return name


def title_places(title: str, normalized: bool = False) -> tuple[str, ...]:
    """The places a title names, in order."""
    found: list[str] = []
    for clause in _SPLIT.split(REGION.sub("。", title if normalized else normalize(title))):
        if len(clause) >= 3:
            found.extend(_places_in_clause(clause))
    return tuple(sys.intern(x) for x in dict.fromkeys(found))


@lru_cache(maxsize=200_000)
def site_keys(places: tuple[str, ...]) -> frozenset[str]:
    """Keys of the residential or institutional sites among places: two titles naming different ones differ."""
    return frozenset(place_key(name) for name in places if name.endswith(SITES))


def sites_conflict(a: frozenset[str], b: frozenset[str]) -> bool:
    """True when both name sites and no site of one is contained in a site of the other."""
    if not a or not b:
        return False
    return not any(x in y or y in x for x in a for y in b)


ROADS = ("号线", "大道", "高速", "隧道", "路", "街", "巷", "线", "桥")
_ROAD_TAIL = re.compile(r"(?:号线|大道|高速|隧道|路|街|巷|线|桥)$")


@lru_cache(maxsize=200_000)
def road_keys(places: tuple[str, ...]) -> frozenset[str]:
    """Stems of the roads and lines among places (东六路 and 东六线 share 东六): a road is long, not one site."""
    return frozenset(
        stem for name in places if name.endswith(ROADS) and len(stem := _ROAD_TAIL.sub("", name)) >= 2
    )


def roads_conflict(a: frozenset[str], b: frozenset[str]) -> bool:
    """True when both titles name roads and none of one is contained in one of the other (东六线 vs 新安路)."""
    if not a or not b:
        return False
    return not any(x in y or y in x for x in a for y in b)
