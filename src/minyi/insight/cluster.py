"""Group messages about the same concrete matter: same place or people AND same problem, without O(n²) pairs."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components

from minyi.insight.entities import Entities, roads_conflict, sites_conflict
from minyi.insight.features import Features, read_all, tfidf
from minyi.insight.features import title_names as title_names
from minyi.insight.features import title_phrases as title_phrases
from minyi.insight.model import Message


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
    far_days: float = (
        90.0  # two messages further apart than this, linked by a place or a name (not a phrase) …
    )
    problem_sim_far: float = (
        0.25  # … must be this alike: months apart, one estate's other problem is another matter
    )


def _rare_postings(keys: list[tuple[str, ...]], lo: int, hi: int, per_item: int) -> dict[str, list[int]]:
    """Index each item by its `per_item` rarest keys whose document frequency lies in [lo, hi]."""
    df: Counter[str] = Counter(k for ks in keys for k in ks)
    post: dict[str, list[int]] = defaultdict(list)
    for i, ks in enumerate(keys):
        for k in sorted((k for k in ks if lo <= df[k] <= hi), key=lambda k: (df[k], k))[:per_item]:
            post[k].append(i)
    return post


def _pair_cosines(x: csr_matrix, a: np.ndarray, b: np.ndarray, chunk: int = 50_000) -> np.ndarray:
    out = np.empty(len(a), dtype=np.float32)
    for s in range(0, len(a), chunk):
        xa, xb = x[a[s : s + chunk]], x[b[s : s + chunk]]
        out[s : s + chunk] = np.asarray(xa.multiply(xb).sum(axis=1)).ravel()
    return out


def _block_pairs(
    postings: dict[str, list[int]], n: int, max_block: int, anchors: int = 0, new: np.ndarray | None = None
) -> np.ndarray:
    """Pair keys (a·n+b, a<b) inside small blocks; in a block over `max_block`, members meet a few anchors.

    With `new` (a mask), only the pairs that touch a new message, from the blocks that hold one."""
    chunks: list[np.ndarray] = []
    for ids in postings.values():
        m = len(ids)
        if m < 2:
            continue
        arr = np.asarray(ids, dtype=np.int64)
        fresh = arr[new[arr]] if new is not None else arr
        if not len(fresh):
            continue
        if new is not None and m <= max_block:
            i, j = np.repeat(fresh, m), np.tile(arr, len(fresh))
            pair = i != j
            chunks.append(np.minimum(i, j)[pair] * n + np.maximum(i, j)[pair])
        elif m <= max_block:
            i, j = np.triu_indices(m, 1)
            lo, hi = np.minimum(arr[i], arr[j]), np.maximum(arr[i], arr[j])
            chunks.append(lo * n + hi)
        elif anchors:
            for anchor in np.unique(arr[(np.arange(anchors) * m) // anchors]):
                other = arr[arr != anchor] if new is None or new[anchor] else fresh[fresh != anchor]
                chunks.append(np.minimum(other, anchor) * n + np.maximum(other, anchor))
    return np.unique(np.concatenate(chunks)) if chunks else np.empty(0, dtype=np.int64)


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


def group_messages(
    messages: Sequence[Message], params: GroupingParams | None = None, *, cache: bool = False
) -> Grouping:
    """Label each message with a group number; equal numbers mean the same place and the same problem.

    With `cache`, the readings of messages seen by an earlier call are reused (see minyi.insight.features)."""
    p = params or GroupingParams()
    feats, counts = read_all(messages, p.head_chars, p.problem_chars, p.chunk, cache=cache)
    pv = tfidf(counts)
    a, b = link(messages, feats, pv, p)
    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(len(messages), len(messages)))
    _, labels = connected_components(graph, directed=False)
    return Grouping(labels, [f.entities for f in feats], pv, [f.places for f in feats])


def link(
    messages: Sequence[Message],
    feats: Sequence[Features],
    pv: csr_matrix,
    p: GroupingParams,
    new: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The pairs (a, b) of messages about one matter; with `new` (a mask), only the pairs that touch a new one."""
    n = len(messages)
    # Blocking 1: messages naming the same place key.
    place_post: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(feats):
        for key in f.place_keys:
            place_post[key].append(i)
    # Blocking 2: titles sharing one of their rarest name words (an LSH-like inverted index).
    title_post = _rare_postings([f.names for f in feats], 2, p.title_key_max_df, p.rare_keys_per_title)
    # Blocking 3: titles sharing a rare two-word phrase — matters of a policy, a programme, an institution.
    phrase_post = _rare_postings([f.phrases for f in feats], 2, p.phrase_max_df, p.rare_phrases_per_title)
    sites = [f.sites for f in feats]
    k1 = _block_pairs(place_post, n, p.max_block, p.anchors, new)
    k2 = np.setdiff1d(_block_pairs(title_post, n, p.max_block, 0, new), k1, assume_unique=True)
    k3 = np.setdiff1d(_block_pairs(phrase_post, n, p.max_block, 0, new), np.concatenate([k1, k2]))
    del place_post, title_post, phrase_post
    keys = np.concatenate([k1, k2, k3])
    need = np.concatenate(
        [
            np.full(len(k1), p.problem_sim_shared_place),
            np.full(len(k2), p.problem_sim_title),
            np.full(len(k3), p.problem_sim_phrase),
        ]
    ).astype(np.float32)
    by_phrase = np.arange(len(need)) >= len(need) - len(k3)
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
    placeless = np.array([sid[i] == -1 and not f.roads for i, f in enumerate(feats)])
    need[by_phrase & ~(placeless[a] & placeless[b])] = np.inf
    # Months apart, a shared place or name is weak evidence (五矿万境's 垃圾站 in January, its 拥堵 in November).
    far = (np.abs(days[a] - days[b]) > p.far_days) & ~by_phrase
    need[far] = np.maximum(need[far], p.problem_sim_far)
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
    roads = [f.roads for f in feats]
    both = np.flatnonzero(ok & ~shared_site)
    ok[both] = [not roads_conflict(roads[a[i]], roads[b[i]]) for i in both]
    a, b = a[ok], b[ok]
    # Two titles naming different districts (A3区 vs A5区) are different places, whatever else they share.
    dists = [f.districts for f in feats]
    did = _site_ids(dists)
    clash = (did[a] >= 0) & (did[b] >= 0) & (did[a] != did[b])
    several = np.flatnonzero(((did[a] == -2) & (did[b] != -1)) | ((did[b] == -2) & (did[a] != -1)))
    clash[several] = [not (dists[a[i]] & dists[b[i]]) for i in several]
    return a[~clash], b[~clash]
