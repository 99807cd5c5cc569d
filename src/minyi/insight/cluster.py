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
    head_chars: int = 150  # how much of the text is searched for places
    problem_chars: int = 150  # how much of the text joins the title (counted twice) in the problem vector
    rare_keys_per_title: int = 4  # blocking: each title is indexed by its rarest words
    max_block: int = 100  # blocks larger than this are not compared all-pairs …
    anchors: int = 24  # … but each member is compared with this many evenly spaced anchor members
    title_key_max_df: int = 20  # a title name word in more titles than this is an area (星沙), not a matter
    chunk: int = 50_000  # messages normalised and hashed at a time


_WORD = re.compile(r"[\u4e00-\u9fff]{2,}|[A-Za-z0-9]{2,}")
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
    # Blocking 2: messages whose titles share one of their rarest bigrams (an LSH-like inverted index).
    grams = [title_names(t) for t in titles]
    df: Counter[str] = Counter(g for gs in grams for g in gs)
    title_post: dict[str, list[int]] = defaultdict(list)
    for i, gs in enumerate(grams):
        for g in sorted((g for g in gs if 2 <= df[g] <= p.title_key_max_df), key=lambda g: (df[g], g))[
            : p.rare_keys_per_title
        ]:
            title_post[g].append(i)

    tplaces = [title_places(t, normalized=True) for t in titles]
    sites = [site_keys(tp) for tp in tplaces]
    k1 = _block_pairs(place_post, n, p.max_block, p.anchors)
    k2 = np.setdiff1d(_block_pairs(title_post, n, p.max_block), k1, assume_unique=True)
    del place_post, title_post, grams
    keys = np.concatenate([k1, k2])
    need = np.concatenate(
        [np.full(len(k1), p.problem_sim_shared_place), np.full(len(k2), p.problem_sim_title)]
    ).astype(np.float32)
    del k1, k2
    a, b = (keys // n).astype(np.int32), (keys % n).astype(np.int32)
    del keys
    sid = _site_ids(sites)
    shared_site = (sid[a] == sid[b]) & (sid[a] >= 0)
    several = np.flatnonzero((sid[a] == -2) | (sid[b] == -2))
    shared_site[several] = [bool(sites[a[i]] & sites[b[i]]) for i in several]
    need[shared_site] = np.minimum(need[shared_site], p.problem_sim_title_site)
    ucode = np.unique(np.array([m.user for m in messages]), return_inverse=True)[1]
    # One person's messages share boilerplate in the text; a compound named in both titles is real evidence.
    same_user = (ucode[a] == ucode[b]) & ~shared_site
    need[same_user] = np.maximum(need[same_user], p.problem_sim_same_user)
    keep = _pair_cosines(pv, a, b) >= need
    a, b, shared_site = a[keep], b[keep], shared_site[keep]
    check = np.flatnonzero((sid[a] != -1) & (sid[b] != -1) & ~shared_site)
    ok = np.ones(len(a), dtype=bool)
    ok[check] = [not sites_conflict(sites[a[i]], sites[b[i]]) for i in check]
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
