"""Vote matrices with planted opinion groups: for tests, benchmarks and the demo consultation."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from minyi.consultation.votes import VoteMatrix


def planted_votes(
    n_participants: int,
    n_statements: int,
    *,
    groups: int = 3,
    votes_each: int = 30,
    stance: float = 0.85,
    pass_rate: float = 0.1,
    seed: int = 0,
) -> tuple[VoteMatrix, NDArray[np.int64]]:
    """Participants in `groups` equal-odds groups, each voting on about `votes_each` random statements.

    Each group has its own side on every statement (agree or disagree, at random); a member takes the
    group's side with probability `stance`, the other side otherwise, and passes with `pass_rate`.
    Returns the matrix and each participant's planted group.
    """
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, groups, n_participants)
    sides = rng.choice(np.array([-1, 1], dtype=np.int8), size=(groups, n_statements))
    per = min(votes_each, n_statements)
    rows = np.repeat(np.arange(n_participants, dtype=np.int64), per)
    cols = rng.integers(0, n_statements, n_participants * per)
    key = np.unique(rows * n_statements + cols)  # drop repeated draws: one vote per statement
    rows, cols = key // n_statements, key % n_statements
    side = sides[truth[rows], cols]
    flip = rng.random(len(key)) > stance
    values = np.where(flip, -side, side).astype(np.int8)
    values[rng.random(len(key)) < pass_rate] = 0
    matrix = VoteMatrix(
        participants=tuple(f"p{i}" for i in range(n_participants)),
        statements=tuple(f"s{j}" for j in range(n_statements)),
        rows=rows.astype(np.int32),
        cols=cols.astype(np.int32),
        values=values,
    )
    return matrix, truth
