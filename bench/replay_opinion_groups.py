"""Replaying Polis's history: does warm-starting every clustering, as Polis does, bring us closer to its groups?

Usage: python bench/replay_opinion_groups.py [--steps 200] [--every-voter] [--cold]

Polis never clusters from scratch: each math update (math/src/polismath/math/{conversation,clusters}.clj)
starts the 100 base clusters and the 2…5 group clusterings from the previous update's (`clean-start-clusters`:
recentre on the members' new points, then split off the most distant point until there are k), the very first
from the first k distinct points (`init-clusters`), and changes the number of groups only after the silhouette
has preferred it 4 updates in a row. This script replays the export's votes in time order in `--steps` equal
batches and runs that loop: exact PCA of the mean-imputed matrix, sqrt(n_statements / n_voted) scaling, the
in-conv rule (7 votes or all statements; `--every-voter` counts anyone who voted), warm-started base and group
k-means (`--cold`: every update from the first k distinct points). It prints the ARI against Polis's
`group-id` beside the shipped method's (one-shot, distal start), same run. A study only: nothing here ships.
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from sklearn.metrics import adjusted_rand_score, silhouette_samples

from minyi.consultation.opinion_groups import compute_opinion_groups
from minyi.consultation.polis_io import HIDDEN, PolisExport, ever_counted, read_polis_export
from minyi.settings import get_settings

Points = NDArray[np.float64]


@dataclass
class Cluster:
    id: int
    members: list[int]
    center: Points


@dataclass
class State:
    base: list[Cluster] = field(default_factory=list)
    groups: dict[int, list[Cluster]] = field(default_factory=dict)
    counted: set[int] = field(default_factory=set)
    last_k: int = 0
    last_k_count: int = 0
    smoothed_k: int = 0


def _mean(x: Points, w: NDArray[np.float64]) -> Points:
    return np.asarray((x * w[:, None]).sum(axis=0) / w.sum())


def _warm_start(
    ids: list[int], x: Points, w: NDArray[np.float64], k: int, last: list[Cluster]
) -> list[Cluster]:
    """Polis's clean-start-clusters: recentre, merge identical centres, split off the most distant point."""
    pos = {i: j for j, i in enumerate(ids)}
    clusters: list[Cluster] = []
    for c in last:
        rows = [pos[m] for m in c.members if m in pos]
        if rows:
            centre = _mean(x[rows], w[rows])
            same = next((d for d in clusters if np.array_equal(d.center, centre)), None)
            if same is None:
                clusters.append(Cluster(c.id, [ids[r] for r in rows], centre))
            else:  # identical centres merge (the centre is recomputed from the members below)
                same.members += [ids[r] for r in rows]
    if not clusters:
        return [Cluster(0, list(ids), _mean(x, w))]
    possible = min(k, len(np.unique(x, axis=0)))
    while True:
        for c in clusters:
            if c.members:
                rows = [pos[m] for m in c.members]
                c.center = _mean(x[rows], w[rows])
        if len(clusters) >= possible:
            return clusters
        centres = np.array([c.center for c in clusters])
        distance = np.sqrt(((x[:, None] - centres[None]) ** 2).sum(-1)).min(axis=1)
        far = int(np.argmax(distance))
        if distance[far] <= 0:
            return clusters
        for c in clusters:
            c.members = [m for m in c.members if m != ids[far]]
        clusters.append(Cluster(max(c.id for c in clusters) + 1, [ids[far]], x[far].copy()))


def kmeans(
    ids: list[int], x: Points, w: NDArray[np.float64], k: int, last: list[Cluster], iters: int
) -> list[Cluster]:
    """Polis's k-means: warm start (or the first k distinct points), stop when no centre moves 0.01."""
    if last:
        clusters = _warm_start(ids, x, w, k, last)
    else:
        _, first = np.unique(x, axis=0, return_index=True)
        clusters = [Cluster(i, [], x[j].copy()) for i, j in enumerate(np.sort(first)[:k])]
    for _ in range(iters + 1):
        centres = np.array([c.center for c in clusters])
        nearest = np.argmin(((x[:, None] - centres[None]) ** 2).sum(-1), axis=1)
        moved = [
            Cluster(c.id, [ids[r] for r in rows], _mean(x[rows], w[rows]))
            for j, c in enumerate(clusters)
            if len(rows := np.flatnonzero(nearest == j))
        ]
        old, new = sorted(map(tuple, centres)), sorted(tuple(c.center) for c in moved)
        done = len(old) == len(new) and all(
            np.linalg.norm(np.subtract(a, b)) < 0.01 for a, b in zip(old, new, strict=True)
        )
        clusters = moved
        if done:
            break
    return sorted(clusters, key=lambda c: c.id)


def _points(votes: Points, hidden: NDArray[np.bool_]) -> tuple[Points, NDArray[np.int64]]:
    """Polis's map of a participants × statements matrix (NaN = no vote) and each row's vote count."""
    raw_count = (~np.isnan(votes)).sum(axis=1)
    votes = votes.copy()
    votes[:, hidden] = 0.0  # moderated out: zeroed, so "voted" with no effect
    voted = ~np.isnan(votes)
    means = np.nan_to_num(np.nanmean(np.where(voted, votes, np.nan), axis=0))
    imputed = np.where(voted, votes, means)
    centre = imputed.mean(axis=0)
    eigenvalues, vectors = np.linalg.eigh((imputed - centre).T @ (imputed - centre))
    components = vectors[:, np.argsort(eigenvalues)[::-1][:2]]
    scale = np.sqrt(votes.shape[1] / np.maximum(voted.sum(axis=1), 1))
    return (np.where(voted, votes - centre, 0.0) @ components) * scale[:, None], raw_count


def _update(state: State, x: Points, raw_count: NDArray[np.int64], n_statements: int, *, every_voter: bool,
            warm: bool) -> None:  # fmt: skip
    """One math update: in-conv, base clusters, group clusterings, the k smoother."""
    enough = raw_count >= (1 if every_voter else min(7, n_statements))
    state.counted |= set(np.flatnonzero(enough).tolist())
    if len(state.counted) < 15:
        top = [int(i) for i in np.argsort(-raw_count, kind="stable") if int(i) not in state.counted]
        state.counted |= set(top[: 15 - len(state.counted)])
    ids = sorted(state.counted)
    state.base = kmeans(ids, x[ids], np.ones(len(ids)), 100, state.base if warm else [], 100)
    bids = [c.id for c in state.base]
    centres = np.array([c.center for c in state.base])
    weights = np.array([len(c.members) for c in state.base], dtype=np.float64)
    scores: dict[int, float] = {}
    for k in range(2, min(5, 2 + len(bids) // 12, len(bids) - 1) + 1):
        state.groups[k] = kmeans(bids, centres, weights, k, state.groups.get(k, []) if warm else [], 20)
        label = {b: j for j, c in enumerate(state.groups[k]) for b in c.members}
        labels = np.array([label[b] for b in bids])
        if len(set(labels)) > 1:
            scores[k] = float(np.mean(silhouette_samples(centres, labels)))
    if not scores:
        return
    this_k = max(scores, key=lambda k: (scores[k], k))
    state.last_k_count = state.last_k_count + 1 if this_k == state.last_k else 1
    state.last_k = this_k
    if state.last_k_count >= 4 or not state.smoothed_k:
        state.smoothed_k = this_k


def replay(export: PolisExport, steps: int, *, every_voter: bool, warm: bool) -> dict[str, int | None]:
    hidden_ids = {c.id for c in export.comments if c.moderated == HIDDEN}
    votes = sorted(export.votes, key=lambda v: v.timestamp_ms)
    p_index: dict[str, int] = {}
    s_index: dict[str, int] = {}
    rows = np.array([p_index.setdefault(v.participant_id, len(p_index)) for v in votes])
    cols = np.array([s_index.setdefault(v.statement_id, len(s_index)) for v in votes])
    values = np.array([v.vote for v in votes], dtype=np.float64)
    hidden = np.array([s in hidden_ids for s in s_index])
    state = State()
    for end in np.unique(np.linspace(0, len(votes), steps + 1).astype(int)[1:]):
        n, m = int(rows[:end].max()) + 1, int(cols[:end].max()) + 1
        matrix = np.full((n, m), np.nan)
        matrix[rows[:end], cols[:end]] = values[:end]  # in time order: the last vote wins
        x, raw_count = _points(matrix, hidden[:m])
        _update(state, x, raw_count, m, every_voter=every_voter, warm=warm)
    group_of_base = {b: j for j, c in enumerate(state.groups.get(state.smoothed_k, [])) for b in c.members}
    participants = list(p_index)
    return {participants[p]: group_of_base.get(c.id) for c in state.base for p in c.members}


def ari(export: PolisExport, group_of: dict[str, int | None]) -> float:
    both = [p for p, g in export.groups.items() if g and group_of.get(p) is not None]
    return float(adjusted_rand_score([export.groups[p] for p in both], [group_of[p] for p in both]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--steps", type=int, default=200, help="math updates, each after an equal batch of votes"
    )
    parser.add_argument(
        "--every-voter", action="store_true", help="count anyone who voted (older Polis math)"
    )
    parser.add_argument("--cold", action="store_true", help="every update from the first k distinct points")
    args = parser.parse_args()
    replayed, shipped = [], []
    print(f"{'conversation':36} {'replay ARI':>10} {'k':>2} {'shipped':>7} {'CPU s':>6}")
    for folder in sorted(p for p in (get_settings().shared_data / "polis").iterdir() if p.is_dir()):
        export = read_polis_export(folder)
        started = time.process_time()
        group_of = replay(export, args.steps, every_voter=args.every_voter, warm=not args.cold)
        cpu = time.process_time() - started
        ours = compute_opinion_groups(export.vote_matrix(), already_counted=ever_counted(export)).group_of
        replayed.append(ari(export, group_of))
        shipped.append(ari(export, ours))
        k = len({g for g in group_of.values() if g is not None})
        print(f"{folder.name:36} {replayed[-1]:>10.3f} {k:>2} {shipped[-1]:>7.3f} {cpu:>6.1f}", flush=True)
    print(f"{'mean':36} {statistics.mean(replayed):>10.3f} {'':>2} {statistics.mean(shipped):>7.3f}")


if __name__ == "__main__":
    main()
