"""Proposed comment groups for the feedback report, from the project's text similarity (MinHash). Pure."""

from __future__ import annotations

from collections.abc import Sequence

from minyi.nlp.repeats import signature, similarity

GROUP_THRESHOLD = 0.3


def propose_groups(
    comments: Sequence[tuple[int, int | None, str]], threshold: float = GROUP_THRESHOLD
) -> list[list[int]]:
    """Group (comment id, clause id, text) by clause and by text similarity (single link); ids in input order.

    Comments on different clauses are never proposed together; staff adjust the proposal before answering.
    """
    sigs = [signature(text) for _, _, text in comments]
    parent = list(range(len(comments)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(comments)):
        for j in range(i):
            if comments[i][1] == comments[j][1] and similarity(sigs[i], sigs[j]) >= threshold:
                parent[root(i)] = root(j)
    groups: dict[int, list[int]] = {}
    for i, (cid, _, _) in enumerate(comments):
        groups.setdefault(root(i), []).append(cid)
    return list(groups.values())
