"""Group messages about the same concrete matter: same place or people AND same problem, without O(n²) pairs."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import rjieba
from scipy.sparse import coo_matrix, csr_matrix, vstack
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.preprocessing import normalize as l2_normalize

from minyi.insight.entities import (
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
    max_block: int = 400  # keys shared by more messages than this are too common to block on
    anchors: int = 24  # … except that its members are still compared with this many anchor members
    title_key_max_df: int = 20  # a title name word in more titles than this is an area (星沙), not a matter
    n_features: int = 2**20


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


def title_names(text: str) -> set[str]:
    """Words of a title that look like proper names (used for blocking and for naming a group)."""
    words = rjieba.cut(REGION.sub(" ", text))
    return {w for w in words if _WORD.fullmatch(w) and w not in TITLE_STOP and is_name(w)}


def _vectorize(texts: Sequence[str], n_features: int, chunk: int = 100_000) -> csr_matrix:
    """Sublinear TF-IDF of hashed char bigrams, L2-normalised, built in float32 chunks to bound memory."""
    hv = HashingVectorizer(
        analyzer="char",
        ngram_range=(2, 2),
        n_features=n_features,
        alternate_sign=False,
        norm=None,
        dtype=np.float32,
    )
    x = vstack([hv.transform(texts[i : i + chunk]) for i in range(0, len(texts), chunk)], format="csr")
    np.log(x.data, out=x.data)
    x.data += 1.0  # sublinear tf: 1 + ln(tf)
    df = np.bincount(x.indices, minlength=n_features)
    idf = (np.log((1 + x.shape[0]) / (1 + df)) + 1).astype(np.float32)
    x.data *= idf[x.indices]
    return l2_normalize(x, copy=False)


def _pair_cosines(x: csr_matrix, a: np.ndarray, b: np.ndarray, chunk: int = 200_000) -> np.ndarray:
    out = np.empty(len(a), dtype=np.float32)
    for s in range(0, len(a), chunk):
        xa, xb = x[a[s : s + chunk]], x[b[s : s + chunk]]
        out[s : s + chunk] = np.asarray(xa.multiply(xb).sum(axis=1)).ravel()
    return out


def _block_pairs(postings: dict[str, list[int]], max_block: int, anchors: int = 0) -> set[tuple[int, int]]:
    """All pairs inside small blocks; in a block over `max_block`, each member is paired with a few anchors."""
    pairs: set[tuple[int, int]] = set()
    for ids in postings.values():
        if len(ids) < 2:
            continue
        if len(ids) <= max_block:
            for x in range(len(ids)):
                for y in range(x + 1, len(ids)):
                    pairs.add((ids[x], ids[y]))
        elif anchors:
            step = len(ids) / anchors
            for a in {ids[int(k * step)] for k in range(anchors)}:
                pairs.update((min(a, b), max(a, b)) for b in ids if b != a)
    return pairs


def _pairs_array(pairs: set[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    if not pairs:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    arr = np.fromiter((v for p in pairs for v in p), dtype=np.int64, count=2 * len(pairs)).reshape(-1, 2)
    return arr[:, 0], arr[:, 1]


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
    heads = [normalize(m.text[:head]) for m in messages]
    ents = [
        extract(t, h, head_chars=p.head_chars, normalized=True) for t, h in zip(titles, heads, strict=True)
    ]
    problems = [
        strip_names(f"{t} {t} {h[: p.problem_chars]}", e.places)
        for t, h, e in zip(titles, heads, ents, strict=True)
    ]
    pv = _vectorize(problems, p.n_features)

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
    users = [m.user for m in messages]
    a1, b1 = _pairs_array(_block_pairs(place_post, p.max_block, p.anchors))
    a2, b2 = _pairs_array(
        _block_pairs(title_post, p.max_block) - set(zip(a1.tolist(), b1.tolist(), strict=True))
    )
    need = np.concatenate(
        [np.full(len(a1), p.problem_sim_shared_place), np.full(len(a2), p.problem_sim_title)]
    ).astype(np.float32)
    a, b = np.concatenate([a1, a2]), np.concatenate([b1, b2])
    shared_site = np.fromiter((bool(sites[x] & sites[y]) for x, y in zip(a, b, strict=True)), bool, len(a))
    need[shared_site] = np.minimum(need[shared_site], p.problem_sim_title_site)
    same_user = np.fromiter((users[x] == users[y] for x, y in zip(a, b, strict=True)), bool, len(a))
    same_user &= (
        ~shared_site
    )  # boilerplate lives in the text; a compound named in both titles is real evidence
    need[same_user] = np.maximum(need[same_user], p.problem_sim_same_user)
    keep = _pair_cosines(pv, a, b) >= need
    a, b = a[keep], b[keep]
    ok = np.fromiter(
        (not sites_conflict(sites[x], sites[y]) for x, y in zip(a, b, strict=True)), bool, len(a)
    )
    a, b = a[ok], b[ok]
    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    return Grouping(labels=labels, entities=ents, problem_vectors=pv, title_places=tplaces)
