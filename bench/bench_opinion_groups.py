"""Speed and memory of opinion groups, beside a same-run reference (a plain numpy matrix product).

Usage: python bench/bench_opinion_groups.py small    # 2,000 participants × 500 statements (target < 2 s)
       python bench/bench_opinion_groups.py large    # 100,000 × 1,000 with planted groups (< 60 s, < 2 GB)

Each size runs in its own process so that its peak RSS is its own. The votes are generated with planted
groups (each participant votes on a random subset); only `compute_opinion_groups` is timed. The reference is
the dense covariance product XᵀX of a float64 participants × statements matrix (the core of a dense PCA),
timed in the same run (for the large size on a 20,000-row slice, scaled up by rows).
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np
from sklearn.metrics import adjusted_rand_score

from minyi.consultation.opinion_groups import compute_opinion_groups
from minyi.consultation.synthetic import planted_votes

SIZES = {"small": (2_000, 500, 60), "large": (100_000, 1_000, 60)}  # participants, statements, votes each


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reference(n: int, m: int) -> float:
    """Seconds for the dense XᵀX of an n × m float64 matrix on the same machine, same run."""
    a = np.random.default_rng(0).standard_normal((min(n, 20_000), m))
    start = time.perf_counter()
    a.T @ a
    return (time.perf_counter() - start) * n / len(a)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", choices=sorted(SIZES))
    parser.add_argument("--groups", type=int, default=3)
    args = parser.parse_args()
    n, m, each = SIZES[args.size]
    start = time.perf_counter()
    matrix, truth = planted_votes(n, m, groups=args.groups, votes_each=each, seed=1)
    generated = time.perf_counter() - start
    before = peak_mb()
    start = time.perf_counter()
    result = compute_opinion_groups(matrix)
    took = time.perf_counter() - start
    placed = [i for i, p in enumerate(matrix.participants) if result.group_of[p] is not None]
    score = adjusted_rand_score(truth[placed], [result.group_of[matrix.participants[i]] for i in placed])
    print(
        f"{n:,} participants × {m:,} statements, {len(matrix.values):,} votes (generated in {generated:.1f} s)"
    )
    print(
        f"opinion groups: {took:.2f} s, {len(result.groups)} groups (planted {args.groups}), ARI {score:.3f}"
    )
    print(f"peak RSS: {peak_mb():.0f} MB (after generating the votes: {before:.0f} MB)")
    print(f"reference, dense XᵀX of a {n:,}×{m:,} float64 matrix: {reference(n, m):.2f} s")


if __name__ == "__main__":
    main()
