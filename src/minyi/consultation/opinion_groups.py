"""Opinion groups of a consultation, Polis's published method end to end: the one entry point callers use.

`compute_opinion_groups(matrix)` places participants on the map (projection.py), groups the counted ones
(clustering.py) and describes each group and the whole (repness.py). It is pure and deterministic for a
given seed: recomputed on a timer by the consultation slice, never on the request path.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

from minyi.consultation.clustering import BASE_CLUSTERS, MAX_GROUPS, cluster_points
from minyi.consultation.projection import MIN_VOTES, project
from minyi.consultation.repness import (
    Representative,
    SharedStatement,
    consensus,
    divisive,
    representative,
    tally,
)
from minyi.consultation.votes import VoteMatrix

__all__ = ["OpinionGroup", "OpinionGroups", "compute_opinion_groups", "Representative", "SharedStatement"]


@dataclass(frozen=True)
class OpinionGroup:
    """One group: who is in it and the statements that set it apart (statement ids)."""

    id: int
    members: tuple[str, ...]
    representative: tuple[Representative, ...]

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass(frozen=True)
class OpinionGroups:
    """The opinion map of a consultation: groups, each participant's group and point, shared statements."""

    groups: tuple[OpinionGroup, ...]
    group_of: dict[str, int | None]  # every participant; None when they voted too little to be grouped
    points: dict[str, tuple[float, float]]
    consensus: tuple[SharedStatement, ...]
    divisive: tuple[SharedStatement, ...]
    statements: tuple[str, ...]  # SharedStatement.statement and Representative.statement index this
    silhouettes: dict[int, float]


def compute_opinion_groups(
    matrix: VoteMatrix,
    *,
    min_votes: int = MIN_VOTES,
    already_counted: Iterable[str] = (),
    base_clusters: int = BASE_CLUSTERS,
    max_groups: int = MAX_GROUPS,
    seed: int = 0,
) -> OpinionGroups:
    """Group the participants of a vote matrix and describe the groups (see the module docstring).

    `already_counted`: participants grouped in an earlier computation stay grouped (Polis's rule).
    """
    # The work is many small dense steps: one thread is faster than a pool fighting the web workers
    with threadpool_limits(limits=1):
        return _compute(
            matrix,
            min_votes=min_votes,
            already=frozenset(already_counted),
            base_clusters=base_clusters,
            max_groups=max_groups,
            seed=seed,
        )


def _compute(
    matrix: VoteMatrix,
    *,
    min_votes: int,
    already: frozenset[str],
    base_clusters: int,
    max_groups: int,
    seed: int,
) -> OpinionGroups:
    n, m = matrix.shape
    projection = project(matrix, min_votes=min_votes, already=already, seed=seed)
    counted = np.flatnonzero(projection.counted)
    group_of_row = np.full(n, -1, dtype=np.int64)
    silhouettes: dict[int, float] = {}
    k = 0
    if len(counted):
        clustering = cluster_points(
            projection.points[counted], base_k=base_clusters, max_groups=max_groups, seed=seed
        )
        group_of_row[counted] = clustering.labels
        silhouettes, k = clustering.silhouettes, clustering.k
    include = matrix.included_mask()
    votes = tally(matrix.rows, matrix.cols, matrix.values, group_of_row, k, m)
    reps = representative(votes, include) if k > 1 else [[] for _ in range(k)]
    groups = tuple(
        OpinionGroup(
            g, tuple(matrix.participants[i] for i in np.flatnonzero(group_of_row == g)), tuple(reps[g])
        )
        for g in range(k)
    )
    return OpinionGroups(
        groups=groups,
        group_of={
            p: (int(group_of_row[i]) if group_of_row[i] >= 0 else None)
            for i, p in enumerate(matrix.participants)
        },
        points={
            p: (float(x), float(y)) for p, (x, y) in zip(matrix.participants, projection.points, strict=True)
        },
        consensus=tuple(consensus(votes, include)) if k else (),
        divisive=tuple(divisive(votes, include)) if k > 1 else (),
        statements=matrix.statements,
        silhouettes=silhouettes,
    )
