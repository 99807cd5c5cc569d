"""Group messages about the same concrete matter: same place or people AND same problem, without O(n²) pairs."""

from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import rjieba
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components
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
    roads_conflict,
    site_keys,
    sites_conflict,
    strip_names,
    title_places,
)
from minyi.insight.model import Message
from minyi.nlp.text import normalize


def _words(text: str) -> list[str]:
    return text.split()


@dataclass(frozen=True, slots=True)
class GroupingParams:
    """Thresholds of the grouping; tuned by reading the 4,326 real messages (see docs/insight.md)."""

    problem_sim_shared_place: float = 0.15  # same place key: the problems must be this alike (cosine)
    problem_sim_title_site: float = 0.05  # both titles name the same compound/school/village: looser
    problem_sim_title: float = 0.15  # titles sharing a rare word: problems this alike, and no site conflict
    problem_sim_same_user: float = 0.50  # one person's messages share boilerplate: ask for more
    problem_sim_phrase: float = (
        0.22  # titles sharing a rare two-word phrase (人才|购房, 公积金|贷款): a policy matter
    )
    site_burst_days: float = 7.0  # titles naming the same site within this many days …
    problem_sim_site_burst: float = (
        0.02  # … need only this much in common (wording varies, the site does not)
    )
    phrase_max_df: int = 40  # a phrase in more titles than this is a topic, not a matter
    rare_phrases_per_title: int = 3
    head_chars: int = 150  # how much of the text is searched for places
    problem_chars: int = 150  # how much of the text joins the title (counted twice) in the problem vector
    rare_keys_per_title: int = 4  # blocking: each title is indexed by its rarest words
    max_block: int = 100  # blocks larger than this are not compared all-pairs …
    anchors: int = 24  # … but each member is compared with this many evenly spaced anchor members
    title_key_max_df: int = 20  # a title name word in more titles than this is an area (星沙), not a matter
    chunk: int = 50_000  # messages normalised and hashed at a time


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


def _rare_postings(keys: list[tuple[str, ...]], lo: int, hi: int, per_item: int) -> dict[str, list[int]]:
    """Index each item by its `per_item` rarest keys whose document frequency lies in [lo, hi]."""
    df: Counter[str] = Counter(k for ks in keys for k in ks)
    post: dict[str, list[int]] = defaultdict(list)
    for i, ks in enumerate(keys):
        for k in sorted((k for k in ks if lo <= df[k] <= hi), key=lambda k: (df[k], k))[:per_item]:
            post[k].append(i)
    return post


_HASHER = HashingVectorizer(
    analyzer="char", ngram_range=(2, 2), n_features=2**20, alternate_sign=False, norm=None, dtype=np.float32
)


def _tfidf(x: csr_matrix) -> csr_matrix:
    """Sublinear TF-IDF (1 + ln tf, smoothed idf), L2-normalised, in place on float32 counts."""
    np.log(x.data, out=x.data)
    x.data += 1.0
    df = np.bincount(x.indices, minlength=x.shape[1])
    idf = (np.log((1 + x.shape[0]) / (1 + df)) + 1).astype(np.float32)
    x.data *= idf[x.indices]
    return l2_normalize(x, copy=False)


def _stack(parts: list[csr_matrix], width: int) -> csr_matrix:
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
    return csr_matrix((data, indices, ptr), shape=(len(ptr) - 1, width))


def _pair_cosines(x: csr_matrix, a: np.ndarray, b: np.ndarray, chunk: int = 50_000) -> np.ndarray:
    out = np.empty(len(a), dtype=np.float32)
    for s in range(0, len(a), chunk):
        xa, xb = x[a[s : s + chunk]], x[b[s : s + chunk]]
        out[s : s + chunk] = np.asarray(xa.multiply(xb).sum(axis=1)).ravel()
    return out


def _block_pairs(postings: dict[str, list[int]], n: int, max_block: int, anchors: int = 0) -> np.ndarray:
    """Pair keys (a·n+b, a<b) inside small blocks; in a block over `max_block`, members meet a few anchors."""
    chunks: list[np.ndarray] = []
    for ids in postings.values():
        m = len(ids)
        if m < 2:
            continue
        arr = np.asarray(ids, dtype=np.int64)
        if m <= max_block:
            i, j = np.triu_indices(m, 1)
            lo, hi = np.minimum(arr[i], arr[j]), np.maximum(arr[i], arr[j])
            chunks.append(lo * n + hi)
        elif anchors:
            for anchor in np.unique(arr[(np.arange(anchors) * m) // anchors]):
                other = arr[arr != anchor]
                chunks.append(np.minimum(other, anchor) * n + np.maximum(other, anchor))
    return np.unique(np.concatenate(chunks)) if chunks else np.empty(0, dtype=np.int64)


@lru_cache(maxsize=10_000)
def _district_set(found: tuple[str, ...]) -> frozenset[str]:
    return frozenset(found)


def _districts(title: str) -> frozenset[str]:
    return _district_set(tuple(DISTRICT.findall(title)))


def _site_ids(sites: list[frozenset[str]]) -> np.ndarray:
    """-1 for none, -2 for several, else an id shared by all messages naming the same single site (or district)."""
    ids: dict[str, int] = {}
    return np.array(
        [-1 if not s else -2 if len(s) > 1 else ids.setdefault(next(iter(s)), len(ids)) for s in sites]
    )


@dataclass(slots=True)
class Grouping:
    """The outcome of grouping: one label per message, plus what each message named."""

    labels: np.ndarray
    entities: list[Entities]
    problem_vectors: csr_matrix
    title_places: list[tuple[str, ...]]


def group_messages(messages: Sequence[Message], params: GroupingParams | None = None) -> Grouping:
    """Label each message with a group number; equal numbers mean the same place and the same problem."""
    p = params or GroupingParams()
    n = len(messages)
    titles = [normalize(m.title) for m in messages]
    head = max(p.head_chars, p.problem_chars)
    ents: list[Entities] = []
    parts = []
    for s in range(0, n, p.chunk):  # chunks keep the normalised texts of only one chunk in memory
        heads = [normalize(m.text[:head]) for m in messages[s : s + p.chunk]]
        chunk_ents = [
            extract(t, h, head_chars=p.head_chars, normalized=True)
            for t, h in zip(titles[s : s + p.chunk], heads, strict=True)
        ]
        problems = [
            strip_names(f"{t} {t} {h[: p.problem_chars]}", e.places)
            for t, h, e in zip(titles[s : s + p.chunk], heads, chunk_ents, strict=True)
        ]
        parts.append(_HASHER.transform(problems))
        ents.extend(chunk_ents)
    pv = _tfidf(_stack(parts, _HASHER.n_features))

    # Blocking 1: messages naming the same place key.
    place_post: dict[str, list[int]] = defaultdict(list)
    for i, e in enumerate(ents):
        for key in {place_key(pl) for pl in e.places}:
            place_post[key].append(i)
    # Blocking 2: titles sharing one of their rarest name words (an LSH-like inverted index).
    title_post = _rare_postings(
        [title_names(t) for t in titles], 2, p.title_key_max_df, p.rare_keys_per_title
    )
    # Blocking 3: titles sharing a rare two-word phrase — matters of a policy, a programme, an institution.
    phrase_post = _rare_postings(
        [title_phrases(t) for t in titles], 2, p.phrase_max_df, p.rare_phrases_per_title
    )
    tplaces = [title_places(t, normalized=True) for t in titles]
    sites = [site_keys(tp) for tp in tplaces]
    k1 = _block_pairs(place_post, n, p.max_block, p.anchors)
    k2 = np.setdiff1d(_block_pairs(title_post, n, p.max_block), k1, assume_unique=True)
    k3 = np.setdiff1d(_block_pairs(phrase_post, n, p.max_block), np.concatenate([k1, k2]))
    del place_post, title_post, phrase_post
    keys = np.concatenate([k1, k2, k3])
    need = np.concatenate(
        [
            np.full(len(k1), p.problem_sim_shared_place),
            np.full(len(k2), p.problem_sim_title),
            np.full(len(k3), p.problem_sim_phrase),
        ]
    ).astype(np.float32)
    n_phrase = len(k3)
    del k1, k2, k3
    a, b = (keys // n).astype(np.int32), (keys % n).astype(np.int32)
    del keys
    sid = _site_ids(sites)
    shared_site = (sid[a] == sid[b]) & (sid[a] >= 0)
    several = np.flatnonzero((sid[a] == -2) | (sid[b] == -2))
    shared_site[several] = [bool(sites[a[i]] & sites[b[i]]) for i in several]
    need[shared_site] = np.minimum(need[shared_site], p.problem_sim_title_site)
    # Several people naming the same site within days: one matter, however each words it (split 2/2/1 otherwise).
    days = np.array([m.time.timestamp() / 86400 for m in messages])
    burst = shared_site & (np.abs(days[a] - days[b]) <= p.site_burst_days)
    need[burst] = np.minimum(need[burst], p.problem_sim_site_burst)
    # A phrase links only titles that name no site or road: a policy matter is not tied to a place.
    placeless = np.array([sid[i] == -1 and not road_keys(tp) for i, tp in enumerate(tplaces)])
    by_phrase = np.arange(len(need)) >= len(need) - n_phrase
    need[by_phrase & ~(placeless[a] & placeless[b])] = np.inf
    ucode = np.unique(np.array([m.user for m in messages]), return_inverse=True)[1]
    # One person's messages share boilerplate in the text; a compound named in both titles is real evidence.
    same_user = (ucode[a] == ucode[b]) & ~shared_site
    need[same_user] = np.maximum(need[same_user], p.problem_sim_same_user)
    keep = _pair_cosines(pv, a, b) >= need
    a, b, shared_site = a[keep], b[keep], shared_site[keep]
    check = np.flatnonzero((sid[a] != -1) & (sid[b] != -1) & ~shared_site)
    ok = np.ones(len(a), dtype=bool)
    ok[check] = [not sites_conflict(sites[a[i]], sites[b[i]]) for i in check]
    # Two titles on different roads (东六线 vs 新安路) are different places: no chain through a shared area name.
    roads = [road_keys(tp) for tp in tplaces]
    both = np.flatnonzero(ok & ~shared_site)
    ok[both] = [not roads_conflict(roads[a[i]], roads[b[i]]) for i in both]
    a, b = a[ok], b[ok]
    # Two titles naming different districts (A3区 vs A5区) are different places, whatever else they share.
    dists = [_districts(t) for t in titles]
    did = _site_ids(dists)
    clash = (did[a] >= 0) & (did[b] >= 0) & (did[a] != did[b])
    several = np.flatnonzero(((did[a] == -2) & (did[b] != -1)) | ((did[b] == -2) & (did[a] != -1)))
    clash[several] = [not (dists[a[i]] & dists[b[i]]) for i in several]
    a, b = a[~clash], b[~clash]
    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    return Grouping(labels=labels, entities=ents, problem_vectors=pv, title_places=tplaces)
