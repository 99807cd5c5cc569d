"""One grouping of messages into matters, shared by the hot-issue ranking, early warning and `minyi hot` (pure).

A matter's key is the id of its first message. Given the keys stored by the last sweep, a sweep is incremental:
a stored message keeps its matter, and only the new messages are compared (with each other and with the window);
a new message joins the stored matter it links to (the one most of its fresh group's stored messages belong to;
a stored key goes to one fresh group only), or starts its own. The messages' readings are kept between sweeps
(minyi.insight.features), so a sweep's cost grows with the new messages, not with the window. Without stored
keys (files, a first sweep) every message is grouped afresh; both ways the same messages give the same matters
(tests/unit/insight/test_incremental_matters.py).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from minyi.insight.cluster import Grouping, GroupingParams, group_messages, link
from minyi.insight.features import read_all, tfidf
from minyi.insight.model import Message
from minyi.insight.surge import issue_names


def stable_keys(fresh: dict[str, str], stored: dict[str, str]) -> dict[str, str]:
    """Each message's matter key: its fresh group's most common stored key, else the fresh key (first message)."""
    groups: dict[str, list[str]] = defaultdict(list)
    for mid, key in fresh.items():
        groups[key].append(mid)
    claims = sorted(
        (-n, skey, fkey)
        for fkey, members in groups.items()
        for skey, n in Counter(stored[m] for m in members if m in stored).items()
    )
    assigned: dict[str, str] = {}
    taken: set[str] = set()
    for _, skey, fkey in claims:  # the fresh group holding most of a stored matter keeps its key
        if skey not in taken and fkey not in assigned:
            assigned[fkey] = skey
            taken.add(skey)
    # The rest: their own first message, another member if that is taken, else a new name.
    for fkey, members in groups.items():
        if fkey not in assigned:
            spare = (f"{fkey}-{n}" for n in range(2, len(fresh) + 3))
            key = next(k for k in [fkey, *members, *spare] if k not in taken)
            assigned[fkey] = key
            taken.add(key)
    return {mid: assigned[fkey] for mid, fkey in fresh.items()}


def fresh_keys(
    messages: Sequence[Message], params: GroupingParams | None = None, *, cache: bool = False
) -> tuple[Grouping, dict[str, str]]:
    """Group the messages afresh; each message's key is its group's first message."""
    grouping = group_messages(messages, params, cache=cache)
    labels = {m.id: int(label) for m, label in zip(messages, grouping.labels, strict=True)}
    return grouping, issue_names(messages, labels)


def matter_keys(messages: Sequence[Message], params: GroupingParams | None = None) -> dict[str, str]:
    """Each message's matter key, grouped afresh (files and evaluations: there is nothing stored)."""
    return fresh_keys(messages, params)[1] if messages else {}


def _incremental(
    messages: Sequence[Message], stored: dict[str, str], params: GroupingParams | None
) -> tuple[Grouping, dict[str, str]]:
    """Compare only the new messages (with each other and the window); stored matters stay as they are."""
    p = params or GroupingParams()
    feats, counts = read_all(messages, p.head_chars, p.problem_chars, p.chunk, cache=True)
    pv = tfidf(counts)
    new = np.array([m.id not in stored for m in messages])
    a, b = link(messages, feats, pv, p, new=new)
    # Each stored matter is one node: its messages are joined to its first message in the window.
    first: dict[str, int] = {}
    held = [(i, first.setdefault(stored[m.id], i)) for i, m in enumerate(messages) if m.id in stored]
    ha, hb = np.array([h[0] for h in held], dtype=np.int64), np.array([h[1] for h in held], dtype=np.int64)
    n = len(messages)
    rows, cols = np.concatenate([a, ha]), np.concatenate([b, hb])
    graph = coo_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(n, n))
    labels = connected_components(graph, directed=False)[1]
    touched = set(labels[new].tolist())  # fresh groups that hold a new message: the rest stand as stored
    inside = [m for m, label in zip(messages, labels, strict=True) if label in touched]
    fresh = issue_names(inside, {m.id: int(label) for m, label in zip(messages, labels, strict=True)})
    return Grouping(labels, [f.entities for f in feats], pv, [f.places for f in feats]), fresh


def shared_grouping(
    messages: Sequence[Message],
    stored: dict[str, str],
    params: GroupingParams | None = None,
    *,
    incremental: bool = True,
) -> tuple[Grouping, dict[str, str]]:
    """The grouping as stored: a stored message keeps its stored matter; a message not yet stored joins the stored
    matter its fresh group continues, or forms its own. Returns the grouping (for ranking) and the keys.

    With stored keys and `incremental`, only the new messages are compared; otherwise the window is regrouped."""
    if stored and incremental and any(m.id in stored for m in messages):
        grouping, fresh = _incremental(messages, stored, params)
    else:
        grouping, fresh = fresh_keys(messages, params, cache=True)
    continued = stable_keys(fresh, stored) if stored else fresh
    keys = {m.id: stored.get(m.id) or continued[m.id] for m in messages}
    index: dict[str, int] = {}
    labels = np.array([index.setdefault(keys[m.id], len(index)) for m in messages], dtype=np.int64)
    return Grouping(labels, grouping.entities, grouping.problem_vectors, grouping.title_places), keys
