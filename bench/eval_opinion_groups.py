"""Opinion groups against Polis's own: adjusted Rand index on the eight public Polis conversations.

Usage: python bench/eval_opinion_groups.py [--seeds 5]

For each conversation (../shared/data/polis, or MINYI_SHARED_DATA/polis) the groups of
`compute_opinion_groups` are compared with Polis's `group-id` on the participants both placed in a group.
Printed beside them, from the same run: the same method told which participants Polis had counted
(`already_counted`: some exports group every voter, made by an older Polis math; see
bench/study_opinion_groups.py); a naive reference (participants' zero-imputed votes, PCA, k-means++
with k chosen by silhouette over the participants themselves) and the same method with a k-means++ start
for the groups instead of Polis's distal start, to show which details matter.
"""

from __future__ import annotations

import argparse
import statistics

import numpy as np
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import adjusted_rand_score, silhouette_score

from minyi.consultation import clustering
from minyi.consultation.opinion_groups import OpinionGroups, compute_opinion_groups
from minyi.consultation.polis_io import PolisExport, ever_counted, read_polis_export
from minyi.settings import get_settings


def ari(export: PolisExport, group_of: dict[str, int | None]) -> tuple[float, int, int]:
    """ARI on participants both grouped; how many Polis grouped; how many of those we grouped."""
    polis = {p: g for p, g in export.groups.items() if g != ""}
    both = [p for p in polis if group_of.get(p) is not None]
    return adjusted_rand_score([polis[p] for p in both], [group_of[p] for p in both]), len(polis), len(both)


def naive(export: PolisExport, counted: set[str]) -> dict[str, int | None]:
    """PCA of zero-imputed votes and k-means++ over participants, k by silhouette (no Polis details)."""
    matrix = export.vote_matrix()
    dense = np.nan_to_num(matrix.dense())
    rows = [i for i, p in enumerate(matrix.participants) if p in counted]
    points = PCA(2, random_state=0).fit(dense).transform(dense[rows])
    best = max(
        (KMeans(k, n_init=10, random_state=0).fit(points).labels_ for k in range(2, 6)),
        key=lambda labels: silhouette_score(points, labels),
    )
    return {matrix.participants[i]: int(g) for i, g in zip(rows, best, strict=True)}


def kmeanspp_groups(export: PolisExport, seed: int) -> OpinionGroups:
    """The method with a k-means++ start (best of 10) for the groups instead of the distal start."""
    original = clustering.weighted_kmeans

    def plus_plus(points, weights, k, *, max_iter=clustering.GROUP_ITERATIONS):  # type: ignore[no-untyped-def]
        fit = KMeans(k, n_init=10, random_state=seed).fit(points, sample_weight=weights)
        return np.asarray(fit.labels_, dtype=np.int64)

    clustering.weighted_kmeans = plus_plus  # type: ignore[assignment]
    try:
        return compute_opinion_groups(export.vote_matrix(), seed=seed)
    finally:
        clustering.weighted_kmeans = original


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5, help="seeds 0 … n-1 for the k-means restarts")
    args = parser.parse_args()
    root = get_settings().shared_data / "polis"
    rows, means = [], {"ours": [], "naive": [], "pp": [], "sticky": []}
    header = f"{'conversation':36} {'Polis k':>7} {'our k':>5} {'grouped':>9} {'ARI':>6} {'(seeds)':>13} {'carried':>7} {'k-means++':>9} {'naive':>6}"
    print(header)
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        export = read_polis_export(folder)
        replayed = ever_counted(export)  # who the slice counts: the rule replayed over the votes' times
        scores, ks = [], []
        for seed in range(args.seeds):
            result = compute_opinion_groups(export.vote_matrix(), already_counted=replayed, seed=seed)
            score, n_polis, n_both = ari(export, result.group_of)
            scores.append(score)
            ks.append(len(result.groups))
            if seed == 0:
                first = result
        counted = {p for p, g in first.group_of.items() if g is not None}
        pp = ari(export, kmeanspp_groups(export, 0).group_of)[0]
        polis_set = [p for p, g in export.groups.items() if g != ""]
        carried = compute_opinion_groups(export.vote_matrix(), already_counted=polis_set)
        sticky = ari(export, carried.group_of)[0]
        nv = ari(export, naive(export, counted))[0]
        polis_k = len({g for g in export.groups.values() if g})
        means["ours"].append(scores[0])
        means["pp"].append(pp)
        means["sticky"].append(sticky)
        means["naive"].append(nv)
        spread = f"{min(scores):.2f}–{max(scores):.2f}"
        rows.append(folder.name)
        print(
            f"{folder.name:36} {polis_k:>7} {ks[0]:>5} {n_both:>4}/{n_polis:<4} {scores[0]:>6.3f} {spread:>13} {sticky:>7.3f} {pp:>9.3f} {nv:>6.3f}"
        )
    print(f"{'mean':36} {'':>7} {'':>5} {'':>9} {statistics.mean(means['ours']):>6.3f} {'':>13} "
          f"{statistics.mean(means['sticky']):>7.3f} {statistics.mean(means['pp']):>9.3f} {statistics.mean(means['naive']):>6.3f}")  # fmt: skip


if __name__ == "__main__":
    main()
