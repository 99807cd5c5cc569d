"""One grouping of messages into matters, shared by the hot-issue ranking and early warning (pure).

A matter's key is the id of its first message. The grouping is recomputed over a window, and each fresh group
keeps the key that most of its members already had (a stored key is given to one fresh group only), so a matter
keeps its name while it goes on, and the board and `minyi watch` read the same stored answer.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np

from minyi.insight.cluster import Grouping, GroupingParams, group_messages
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
    messages: Sequence[Message], params: GroupingParams | None = None
) -> tuple[Grouping, dict[str, str]]:
    """Group the messages afresh; each message's key is its group's first message."""
    grouping = group_messages(messages, params)
    labels = {m.id: int(label) for m, label in zip(messages, grouping.labels, strict=True)}
    return grouping, issue_names(messages, labels)


def shared_grouping(
    messages: Sequence[Message], stored: dict[str, str], params: GroupingParams | None = None
) -> tuple[Grouping, dict[str, str]]:
    """The grouping as stored: a stored message keeps its stored matter; a message not yet stored joins the stored
    matter its fresh group continues, or forms its own. Returns the grouping (for ranking) and the keys."""
    grouping, fresh = fresh_keys(messages, params)
    continued = stable_keys(fresh, stored) if stored else fresh
    keys = {m.id: stored.get(m.id) or continued[m.id] for m in messages}
    index: dict[str, int] = {}
    labels = np.array([index.setdefault(keys[m.id], len(index)) for m in messages], dtype=np.int64)
    return Grouping(labels, grouping.entities, grouping.problem_vectors, grouping.title_places), keys
