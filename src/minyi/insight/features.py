"""What the grouping reads of each message (places, title words, the problem's character pairs), computed once.

Reading a message is most of the grouping's cost (entity extraction and hashing: about 0.4 ms a message), so a
sweep over a window keeps what it read, by message and wording, for the next sweep (`cache=True`): then a
sweep reads only the messages that are new or changed.
"""

from __future__ import annotations

import re
import sys
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import rjieba
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.preprocessing import normalize as l2_normalize

from minyi.insight.entities import (
    DISTRICT,
    REGION,
    Entities,
    extract,
    is_name,
    place_key,
    road_keys,
    site_keys,
    strip_names,
    title_places,
)
from minyi.insight.model import Message
from minyi.nlp.text import normalize

CACHE_SIZE = 200_000  # messages kept between sweeps (a 60-day window of a large city, about 0.5 GB at most)


def _words(text: str) -> list[str]:
    return text.split()


_WORD = re.compile(r"[\u4e00-\u9fff]{2,}|[A-Za-z0-9]{2,}")
# Words that say what kind of nuisance, not which matter: a phrase made of them would join unrelated places.
NUISANCE = frozenset(
    _words(
        "噪音 扰民 施工 油烟 垃圾 污染 违建 违章 建筑 停车 占道 夜间 粉尘 臭气 渗水 漏水 积水 路灯 交通 拥堵 安全 隐患 严重 影响 "
        "生活 休息 环境 整治 管理 乱象 附近 周边 门口 门前 晚上 半夜 凌晨 居民区 开工 动工 建设 启动 进展"
    )
)
TITLE_STOP = frozenset(
    list(
        _words(
            "关于 反映 投诉 咨询 建议 请问 希望 问题 要求 请求 举报 恳请 强烈 严重 为何 为什么 什么 何时 能否 是否 可以 不能 没有 存在 情况 相关 "
            "部门 政府 领导 市民 居民 业主 尽快 解决 处理 一下 一个 我们 你们 进行 以及 红绿灯 临街 门面 油烟 麻将馆 普惠 配套 app APP 一卡通 "
            "二期 三期 一期 四期 普惠性 幼儿园 小学 中学 学校 小区 地铁 高铁 高速 公交 物业"
        )
    )
)


def title_names(text: str) -> tuple[str, ...]:
    """Words of a title that look like proper names (used for blocking and for naming a group)."""
    words = rjieba.cut(REGION.sub(" ", text))
    return tuple(
        dict.fromkeys(
            sys.intern(w) for w in words if _WORD.fullmatch(w) and w not in TITLE_STOP and is_name(w)
        )
    )


def title_phrases(text: str) -> tuple[str, ...]:
    """Adjacent pairs of a title's content words (人才|购房, 购房|补贴): what a policy or programme matter shares."""
    words = [
        w
        for w in rjieba.cut(REGION.sub(" ", text))
        if _WORD.fullmatch(w) and w not in TITLE_STOP and w not in NUISANCE
    ]
    return tuple(dict.fromkeys(sys.intern(f"{a}|{b}") for a, b in zip(words, words[1:], strict=False)))


@lru_cache(maxsize=10_000)
def _district_set(found: tuple[str, ...]) -> frozenset[str]:
    return frozenset(found)


@dataclass(frozen=True, slots=True)
class Features:
    """What one message names: the grouping compares messages by these alone."""

    title: str  # normalised
    entities: Entities
    place_keys: frozenset[str]
    names: tuple[str, ...]
    phrases: tuple[str, ...]
    places: tuple[str, ...]  # places named in the title
    sites: frozenset[str]
    roads: frozenset[str]
    districts: frozenset[str]


_HASHER = HashingVectorizer(
    analyzer="char", ngram_range=(2, 2), n_features=2**20, alternate_sign=False, norm=None, dtype=np.float32
)
WIDTH = _HASHER.n_features
Row = tuple[np.ndarray, np.ndarray]  # the hashed character pairs of one message's problem: columns, counts
_CACHE: OrderedDict[tuple[str, str, str, int, int], tuple[Features, Row]] = OrderedDict()
_LOCK = threading.Lock()  # the board's warm-up thread and a request may sweep at once


def _read(
    messages: Sequence[Message], head_chars: int, problem_chars: int
) -> tuple[list[Features], csr_matrix]:
    """Read the messages afresh: their features and the raw counts of their problems' character pairs."""
    head = max(head_chars, problem_chars)
    titles = [normalize(m.title) for m in messages]
    heads = [normalize(m.text[:head]) for m in messages]
    ents = [extract(t, h, head_chars=head_chars, normalized=True) for t, h in zip(titles, heads, strict=True)]
    problems = [
        strip_names(f"{t} {t} {h[:problem_chars]}", e.places)
        for t, h, e in zip(titles, heads, ents, strict=True)
    ]
    feats = []
    for t, e in zip(titles, ents, strict=True):
        tplaces = title_places(t, normalized=True)
        feats.append(
            Features(t, e, frozenset(place_key(pl) for pl in e.places), title_names(t), title_phrases(t),
                     tplaces, site_keys(tplaces), road_keys(tplaces), _district_set(tuple(DISTRICT.findall(t))))
        )  # fmt: skip
    return feats, _HASHER.transform(problems)


def _stack(parts: list[csr_matrix]) -> csr_matrix:
    """Stack row blocks, freeing each block as it is copied (vstack would hold both copies at once)."""
    nnz = sum(p.nnz for p in parts)
    data = np.empty(nnz, dtype=np.float32)
    indices = np.empty(nnz, dtype=np.int32)
    indptr = [np.zeros(1, dtype=np.int64)]
    at = 0
    while parts:
        part = parts.pop(0)
        data[at : at + part.nnz] = part.data
        indices[at : at + part.nnz] = part.indices
        indptr.append(part.indptr[1:].astype(np.int64) + at)
        at += part.nnz
        del part
    ptr = np.concatenate(indptr)
    return csr_matrix((data, indices, ptr), shape=(len(ptr) - 1, WIDTH))


def read_all(
    messages: Sequence[Message], head_chars: int, problem_chars: int, chunk: int = 50_000, cache: bool = False
) -> tuple[list[Features], csr_matrix]:
    """Every message's features and its problem's raw pair counts (one row each, in order).

    With `cache`, messages read by an earlier call (same id and wording) are not read again.
    """
    if not cache:
        feats: list[Features] = []
        parts = []
        for s in range(
            0, len(messages), chunk
        ):  # chunks keep the normalised texts of only one chunk in memory
            f, x = _read(messages[s : s + chunk], head_chars, problem_chars)
            feats.extend(f)
            parts.append(x)
        return feats, _stack(parts)
    head = max(head_chars, problem_chars)
    keys = [(m.id, m.title, m.text[:head], head_chars, problem_chars) for m in messages]
    with _LOCK:
        missing = [i for i, k in enumerate(keys) if k not in _CACHE]
        for s in range(0, len(missing), chunk):
            part = missing[s : s + chunk]
            f, x = _read([messages[i] for i in part], head_chars, problem_chars)
            for r, i in enumerate(part):
                lo, hi = x.indptr[r], x.indptr[r + 1]
                _CACHE[keys[i]] = (f[r], (x.indices[lo:hi].copy(), x.data[lo:hi].copy()))
        got = [_CACHE[k] for k in keys]
        for k in keys:
            _CACHE.move_to_end(k)
        while len(_CACHE) > max(CACHE_SIZE, len(keys)):
            _CACHE.popitem(last=False)
    lengths = np.fromiter((len(row[0]) for _, row in got), dtype=np.int64, count=len(got))
    ptr = np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(lengths)])
    if not got:
        return [], csr_matrix((0, WIDTH), dtype=np.float32)
    indices = np.concatenate([row[0] for _, row in got])
    data = np.concatenate([row[1] for _, row in got])
    return [f for f, _ in got], csr_matrix((data, indices, ptr), shape=(len(got), WIDTH))


def forget() -> None:
    """Drop every kept reading (tests, and a process that changes the grouping's parameters)."""
    with _LOCK:
        _CACHE.clear()


def tfidf(x: csr_matrix) -> csr_matrix:
    """Sublinear TF-IDF (1 + ln tf, smoothed idf over these rows), L2-normalised, in place on the raw counts."""
    np.log(x.data, out=x.data)
    x.data += 1.0
    df = np.bincount(x.indices, minlength=x.shape[1])
    idf = (np.log((1 + x.shape[0]) / (1 + df)) + 1).astype(np.float32)
    x.data *= idf[x.indices]
    return l2_normalize(x, copy=False)
