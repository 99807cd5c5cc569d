"""Why our opinion groups differ from Polis's: the checks behind docs/benchmarks.md (issue 10).

Usage: python bench/study_opinion_groups.py

Per conversation (../shared/data/polis, or MINYI_SHARED_DATA/polis), from the same run:
- **replayed**: participants Polis's rule would ever have counted, replaying the votes in time order with the
  statements that existed at each vote (7 votes, or all statements when fewer; once counted, always), beside
  how many Polis grouped and how many of those had fewer than 7 votes;
- **bound**: the ARI of Polis's own groups re-drawn on our map (each of Polis's grouped participants given
  the nearest centre of Polis's groups): what any clustering of this map could at best agree;
- four variants of the method, each with the k our silhouette chooses and with Polis's k given:
  S/n = with/without the sqrt(n_statements / n_voted) scaling, c/A = counted by the rule / every voter;
- a leave-one-out figure: for each conversation, the variant with the best mean on the other seven, scored
  on the one left out.

Then a second table (issue 10, session u10g): the shipped method with k the smallest whose silhouette is
within a margin of the best (Polis's k buffer favours the k a conversation started with, usually 2), with its
leave-one-out figure; and the bound on other maps (no participation scaling; zero-imputed; the map drawn from
only the first 50 % / 80 % of the votes, in case Polis's last update was earlier than the export).
"""

from __future__ import annotations

import statistics
from dataclasses import replace

import numpy as np
from sklearn.metrics import adjusted_rand_score, pairwise_distances

from minyi.consultation import clustering, projection
from minyi.consultation.polis_io import PolisExport, ever_counted, read_polis_export
from minyi.consultation.votes import VoteMatrix
from minyi.settings import get_settings

VARIANTS = ("Sc", "SA", "nc", "nA")


def score(export: PolisExport, matrix: VoteMatrix, rows: np.ndarray, labels: np.ndarray) -> float:
    mine = {matrix.participants[i]: int(g) for i, g in zip(rows, labels, strict=True)}
    both = [p for p, g in export.groups.items() if g and p in mine]
    return float(adjusted_rand_score([export.groups[p] for p in both], [mine[p] for p in both]))


def variant(export: PolisExport, matrix: VoteMatrix, name: str, polis_k: int) -> tuple[float, int, float]:
    """(ARI with our k, our k, ARI with Polis's k) for one variant."""
    centred, _ = projection.centred_votes(matrix)
    points = np.asarray(centred @ projection.principal_components(centred, 2).T)
    if name[0] == "S":
        voted = np.bincount(matrix.rows[matrix.included_mask()[matrix.cols]], minlength=matrix.shape[0])
        points *= np.sqrt(len(matrix.statements) / np.maximum(voted + len(matrix.excluded), 1))[:, None]
    counted = (
        matrix.votes_per_participant() > 0 if name[1] == "A" else projection.counted_participants(matrix)
    )
    rows = np.flatnonzero(counted)
    found = clustering.cluster_points(points[rows])
    base, centres = clustering.base_clusters(points[rows])
    forced = clustering.weighted_kmeans(centres, np.bincount(base).astype(float), polis_k)[base]
    return score(export, matrix, rows, found.labels), found.k, score(export, matrix, rows, forced)


def bound(export: PolisExport, matrix: VoteMatrix, points: np.ndarray | None = None) -> float:
    points = projection.project(matrix).points if points is None else points
    index = {p: i for i, p in enumerate(matrix.participants)}
    grouped = [p for p, g in export.groups.items() if g and p in index]
    x = points[[index[p] for p in grouped]]
    y = np.array([export.groups[p] for p in grouped])
    centres = np.array([x[y == g].mean(axis=0) for g in sorted(set(y))])
    nearest = np.argmin(((x[:, None, :] - centres[None]) ** 2).sum(-1), axis=1)
    return float(adjusted_rand_score(y, nearest))


MARGINS = (0.0, 0.02, 0.05, 0.1)  # prefer fewer groups unless more win the silhouette by this much


def by_margin(export: PolisExport, matrix: VoteMatrix) -> list[float]:
    """ARI of the shipped method when k is the smallest whose silhouette is within a margin of the best."""
    points = projection.project(matrix, already=frozenset(ever_counted(export)))
    rows = np.flatnonzero(points.counted)
    base, centres = clustering.base_clusters(points.points[rows])
    weights = np.bincount(base).astype(float)
    distances = pairwise_distances(centres)
    top = min(clustering.MAX_GROUPS, 2 + len(centres) // 12, len(centres) - 1)
    labels = {k: clustering.weighted_kmeans(centres, weights, k) for k in range(2, top + 1)}
    silhouette = {k: clustering.polis_silhouette(distances, found) for k, found in labels.items()}
    best = max(silhouette.values())
    chosen = [min(k for k in labels if silhouette[k] >= best - margin) for margin in MARGINS]
    return [score(export, matrix, rows, labels[k][base]) for k in chosen]


def map_bounds(export: PolisExport, matrix: VoteMatrix) -> list[float]:
    """The bound on two other maps: mean-imputed without the scaling; zero-imputed with it."""
    dense = matrix.dense()
    dense[:, ~matrix.included_mask()] = 0.0
    voted = ~np.isnan(dense)
    scale = np.sqrt(dense.shape[1] / np.maximum(voted.sum(axis=1), 1))[:, None]
    out = []
    for impute, scaled in (("mean", False), ("zero", True)):
        fill = np.nan_to_num(np.nanmean(dense, axis=0)) if impute == "mean" else np.zeros(dense.shape[1])
        full = np.where(voted, dense, fill)
        centre = full.mean(axis=0)
        values, vectors = np.linalg.eigh((full - centre).T @ (full - centre))
        points = np.where(voted, dense - centre, 0.0) @ vectors[:, np.argsort(values)[::-1][:2]]
        out.append(bound(export, matrix, points * scale if scaled else points))
    return out


SNAPSHOTS = (
    0.5,
    0.8,
)  # the map from the first half, four fifths of the votes (was Polis's last update earlier?)


def snapshot_bounds(export: PolisExport) -> list[float]:
    """The bound on the map drawn from only the earliest votes, on Polis's grouped participants who had voted."""
    votes = sorted(export.votes, key=lambda v: v.timestamp_ms)
    out = []
    for share in SNAPSHOTS:
        early = replace(export, votes=tuple(votes[: int(len(votes) * share)]))
        voted = {v.participant_id for v in early.votes}
        early = replace(early, groups={p: g for p, g in export.groups.items() if p in voted})
        out.append(bound(early, early.vote_matrix()))
    return out


def held_out_mean(table: list[list[float]]) -> float:
    """Leave one out: the column with the best mean on the other rows (the first on ties), on the row left out."""
    picks = []
    for i in range(len(table)):
        others = [row for j, row in enumerate(table) if j != i]
        best = max(range(len(table[0])), key=lambda c: (statistics.mean(r[c] for r in others), -c))
        picks.append(table[i][best])
    return statistics.mean(picks)


def second_study() -> None:
    root = get_settings().shared_data / "polis"
    margins, maps = [], []
    print(f"\n{'conversation':34} " + " ".join(f"{'margin ' + str(m):>12}" for m in MARGINS)
          + f" {'bound: no scaling':>17} {'zero-imputed':>12} {'50% votes':>9} {'80% votes':>9}")  # fmt: skip
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        export = read_polis_export(folder)
        matrix = export.vote_matrix()
        margins.append(by_margin(export, matrix))
        maps.append(map_bounds(export, matrix) + snapshot_bounds(export))
        print(f"{folder.name:34} " + " ".join(f"{x:>12.3f}" for x in margins[-1])
              + f" {maps[-1][0]:>17.3f} {maps[-1][1]:>12.3f} {maps[-1][2]:>9.3f} {maps[-1][3]:>9.3f}")  # fmt: skip
    print(f"{'mean':34} " + " ".join(f"{statistics.mean(r[c] for r in margins):>12.3f}" for c in range(len(MARGINS)))
          + f" {statistics.mean(r[0] for r in maps):>17.3f} {statistics.mean(r[1] for r in maps):>12.3f}"
          f" {statistics.mean(r[2] for r in maps):>9.3f} {statistics.mean(r[3] for r in maps):>9.3f}")  # fmt: skip
    print(
        f"leave-one-out (margin chosen on the other seven, the smallest on ties): {held_out_mean(margins):.3f}"
    )


def main() -> None:
    root = get_settings().shared_data / "polis"
    scores: dict[str, list[float]] = {v: [] for v in VARIANTS}
    print(f"{'conversation':34} {'Polis grouped':>13} {'<7 votes':>8} {'replayed':>8} {'bound':>6}  "
          + "  ".join(f"{v + ' (k) / Polis k':>20}" for v in VARIANTS))  # fmt: skip
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        export = read_polis_export(folder)
        matrix = export.vote_matrix()
        votes = dict(zip(matrix.participants, matrix.votes_per_participant(), strict=True))
        polis = [p for p, g in export.groups.items() if g]
        few = sum(1 for p in polis if votes.get(p, 0) < projection.MIN_VOTES)
        polis_k = len(set(export.groups[p] for p in polis))
        cells = []
        for name in VARIANTS:
            ours, k, forced = variant(export, matrix, name, polis_k)
            scores[name].append(ours)
            cells.append(f"{ours:>7.3f} ({k}) / {forced:.3f}")
        print(f"{folder.name:34} {len(polis):>13} {few:>8} {len(ever_counted(export)):>8} "
              f"{bound(export, matrix):>6.3f}  " + "  ".join(f"{c:>20}" for c in cells))  # fmt: skip
    held_out = []
    for i in range(len(scores["Sc"])):
        best = max(VARIANTS, key=lambda v: statistics.mean(s for j, s in enumerate(scores[v]) if j != i))
        held_out.append(scores[best][i])
    print("means: " + "  ".join(f"{v} {statistics.mean(s):.3f}" for v, s in scores.items()))
    print(f"leave-one-out (variant chosen on the other seven): {statistics.mean(held_out):.3f}")
    second_study()


if __name__ == "__main__":
    main()
