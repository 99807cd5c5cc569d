"""Opinion groups on the map: many small base clusters, then 2 to 5 groups of them chosen by silhouette.

Polis (math/src/polismath/math/{clusters,conversation}.clj) clusters the counted participants' points
into about 100 base clusters, then clusters the base clusters' centres (each weighted by its size) into
k groups for k = 2 … min(5, 2 + base clusters // 12), and keeps the k whose silhouette (measured between
base-cluster centres) is highest. The groups' k-means starts as Polis grows a clustering (clean-start-clusters):
from one centre, adding the most distant base cluster each time; a k-means++ start splits the large
central mass instead and misses the small, far groups Polis finds. Grouping the base clusters rather than the people makes the groups
steady as votes arrive and cheap to recompute for a large crowd.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sklearn.cluster import KMeans
from sklearn.metrics import pairwise_distances, silhouette_samples

BASE_CLUSTERS = 100
MAX_GROUPS = 5
RESTARTS = 3  # base k-means restarts (k-means++ seeding); the lowest within-cluster sum of squares wins
GROUP_ITERATIONS = 20  # Polis's k-means default iteration cap


@dataclass(frozen=True)
class Clustering:
    """Base clusters of the counted participants and the groups made of them."""

    base_labels: NDArray[np.int64]  # per counted point: its base cluster
    base_centers: NDArray[np.float64]  # base clusters × 2
    base_sizes: NDArray[np.int64]
    group_of_base: NDArray[np.int64]  # per base cluster: its group
    silhouettes: dict[int, float]  # k → silhouette of the k-group clustering

    @property
    def labels(self) -> NDArray[np.int64]:
        """Per counted point: its group."""
        return self.group_of_base[self.base_labels]

    @property
    def k(self) -> int:
        return int(self.group_of_base.max()) + 1 if len(self.group_of_base) else 0


def base_clusters(
    points: NDArray[np.float64], *, k: int = BASE_CLUSTERS, seed: int = 0
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """k-means into (at most) k base clusters; fewer when there are fewer distinct points."""
    distinct = np.unique(points, axis=0)
    k = min(k, len(distinct))
    if k <= 1:
        return np.zeros(len(points), dtype=np.int64), points.mean(axis=0, keepdims=True)
    km = KMeans(n_clusters=k, n_init=RESTARTS, random_state=seed).fit(points)
    labels = np.asarray(km.labels_, dtype=np.int64)
    used = np.unique(labels)  # drop any base cluster that ended empty, renumbering densely
    remap = np.full(k, -1, dtype=np.int64)
    remap[used] = np.arange(len(used))
    return remap[labels], np.asarray(km.cluster_centers_)[used]


def polis_silhouette(distances: NDArray[np.float64], labels: NDArray[np.int64]) -> float:
    """Mean silhouette over the base clusters (unweighted, as Polis; a singleton scores 0)."""
    if len(np.unique(labels)) < 2:
        return -1.0
    return float(np.mean(silhouette_samples(distances, labels, metric="precomputed")))


def _nearest(points: NDArray[np.float64], centers: NDArray[np.float64]) -> NDArray[np.int64]:
    d = ((points[:, None, :] - centers[None, :, :]) ** 2).sum(axis=-1)
    return np.asarray(np.argmin(d, axis=1), dtype=np.int64)


def _weighted_centers(
    points: NDArray[np.float64],
    weights: NDArray[np.float64],
    labels: NDArray[np.int64],
    old: NDArray[np.float64],
) -> NDArray[np.float64]:
    new = old.copy()
    for j in range(len(old)):
        member = labels == j
        if member.any():
            new[j] = np.average(points[member], axis=0, weights=weights[member])
    return new


def distal_start(points: NDArray[np.float64], weights: NDArray[np.float64], k: int) -> NDArray[np.float64]:
    """Polis's way of growing a clustering: start from one centre, add the most distant point, recentre."""
    centers = np.average(points, axis=0, weights=weights)[None, :]
    while len(centers) < k:
        far = int(np.argmax(((points[:, None, :] - centers[None]) ** 2).sum(-1).min(axis=1)))
        centers = np.vstack([centers, points[far]])
        centers = _weighted_centers(points, weights, _nearest(points, centers), centers)
    return centers


def weighted_kmeans(
    points: NDArray[np.float64], weights: NDArray[np.float64], k: int, *, max_iter: int = GROUP_ITERATIONS
) -> NDArray[np.int64]:
    """Lloyd's k-means from the distal start, stopping when no centre moves more than 0.01 (Polis's rule)."""
    centers = distal_start(points, weights, k)
    for _ in range(max_iter):
        moved = _weighted_centers(points, weights, _nearest(points, centers), centers)
        done = bool(np.all(np.linalg.norm(moved - centers, axis=1) < 0.01))
        centers = moved
        if done:
            break
    return _nearest(points, centers)


def group_base_clusters(
    centers: NDArray[np.float64], sizes: NDArray[np.int64], *, max_groups: int = MAX_GROUPS
) -> tuple[NDArray[np.int64], dict[int, float]]:
    """Cluster the base clusters into the k groups (2 … max) with the best silhouette."""
    n = len(centers)
    if n < 3:
        return np.arange(n, dtype=np.int64), {}
    top = min(max_groups, 2 + n // 12, n - 1)
    distances = pairwise_distances(centers)
    weights = sizes.astype(np.float64)
    best: tuple[float, NDArray[np.int64]] | None = None
    scores: dict[int, float] = {}
    for k in range(2, top + 1):
        labels = weighted_kmeans(centers, weights, k)
        scores[k] = polis_silhouette(distances, labels)
        if best is None or scores[k] > best[0]:
            best = (scores[k], labels)
    assert best is not None
    return _canonical(best[1], sizes), scores


def _canonical(labels: NDArray[np.int64], sizes: NDArray[np.int64]) -> NDArray[np.int64]:
    """Number groups by size, largest first (ties: lowest base cluster first), so results are stable."""
    groups = np.unique(labels)
    weight = {g: (-int(sizes[labels == g].sum()), int(np.flatnonzero(labels == g)[0])) for g in groups}
    order = sorted(groups, key=lambda g: weight[g])
    remap = {g: i for i, g in enumerate(order)}
    return np.array([remap[g] for g in labels], dtype=np.int64)


def cluster_points(
    points: NDArray[np.float64], *, base_k: int = BASE_CLUSTERS, max_groups: int = MAX_GROUPS, seed: int = 0
) -> Clustering:
    """Base clusters, then groups of them."""
    base_labels, centers = base_clusters(points, k=base_k, seed=seed)
    sizes = np.bincount(base_labels, minlength=len(centers))
    group_of_base, scores = group_base_clusters(centers, sizes, max_groups=max_groups)
    return Clustering(base_labels, centers, sizes, group_of_base, scores)
