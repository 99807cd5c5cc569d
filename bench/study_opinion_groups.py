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
"""

from __future__ import annotations

import statistics

import numpy as np
from sklearn.metrics import adjusted_rand_score

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


def bound(export: PolisExport, matrix: VoteMatrix) -> float:
    points = projection.project(matrix).points
    index = {p: i for i, p in enumerate(matrix.participants)}
    grouped = [p for p, g in export.groups.items() if g and p in index]
    x = points[[index[p] for p in grouped]]
    y = np.array([export.groups[p] for p in grouped])
    centres = np.array([x[y == g].mean(axis=0) for g in sorted(set(y))])
    nearest = np.argmin(((x[:, None, :] - centres[None]) ** 2).sum(-1), axis=1)
    return float(adjusted_rand_score(y, nearest))


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


if __name__ == "__main__":
    main()
