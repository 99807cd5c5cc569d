"""From votes to points on the opinion map: who counts, imputation by the statement's mean, PCA, scaling.

Polis's method (math/src/polismath/math/{conversation,pca}.clj): a missing vote is imputed by the mean of
the statement's votes; the matrix is centred and its first two principal components found; each
participant is projected using only the statements they voted on, and the projection is pushed out by
sqrt(n_statements / n_voted) so that someone who voted on little is not drawn to the centre.
Imputing the mean and then centring makes every missing entry exactly zero, so the centred matrix stays
as sparse as the votes: nothing dense of size participants × statements is ever built.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.linalg import LinearOperator, eigsh

from minyi.consultation.votes import VoteMatrix

MIN_VOTES = 7  # Polis: a participant counts once they voted on 7 statements (or on all, when fewer)
MIN_PARTICIPANTS = 15  # Polis: with fewer counted, the most active participants are added up to this many
DENSE_EIGEN_MAX = 600  # up to this many statements the covariance is formed and solved exactly


@dataclass(frozen=True)
class Projection:
    """The map: statement means, the two components, and each participant's point."""

    center: NDArray[np.float64]  # per statement: mean of its votes (0 for excluded or unvoted statements)
    components: NDArray[np.float64]  # 2 × statements, unit rows
    points: NDArray[np.float64]  # participants × 2
    counted: NDArray[np.bool_]  # participants with enough votes to be grouped


def counted_participants(
    matrix: VoteMatrix, *, min_votes: int = MIN_VOTES, already: frozenset[str] = frozenset()
) -> NDArray[np.bool_]:
    """Who is grouped: at least `min_votes` votes (or all statements when fewer), else the most active.

    Once counted, always counted (Polis keeps its `in-conv` set): pass those counted before as `already`.
    """
    n_votes = matrix.votes_per_participant()
    counted = n_votes >= min(min_votes, len(matrix.statements))
    if already:
        counted |= np.fromiter((p in already for p in matrix.participants), dtype=bool, count=len(counted))
    missing = MIN_PARTICIPANTS - int(counted.sum())
    if missing > 0:
        # stable: among equal counts the earlier participant wins
        order = np.argsort(-n_votes, kind="stable")
        extra = [i for i in order if not counted[i] and n_votes[i] > 0][:missing]
        counted[extra] = True
    return counted


def counted_over_time(
    rows: NDArray[np.int64],
    cols: NDArray[np.int64],
    at: NDArray[np.float64],
    created: NDArray[np.float64],
    n_participants: int,
    *,
    min_votes: int = MIN_VOTES,
) -> NDArray[np.bool_]:
    """Who Polis's rule ever counted, votes (participant row, statement col, time) taken in time order.

    Polis keeps a participant once counted (`in-conv`), and counts them once they voted on `min_votes` statements
    or on all that existed then: someone who voted on the first five statements of a young consultation stays
    counted when more are written. `created`: each statement's creation time (same clock as `at`).
    """
    counted = np.zeros(n_participants, dtype=bool)
    if not len(rows):
        return counted
    order = np.lexsort((at, cols, rows))  # the first vote of each participant on each statement
    r, c, t = rows[order], cols[order], at[order]
    first = np.ones(len(r), dtype=bool)
    first[1:] = (r[1:] != r[:-1]) | (c[1:] != c[:-1])
    r, t = r[first], t[first]
    order = np.lexsort(
        (t, r)
    )  # each participant's first votes in time order: the k-th is their k-th statement
    r, t = r[order], t[order]
    starts = np.flatnonzero(np.r_[True, r[1:] != r[:-1]])
    k = np.arange(len(r)) - np.repeat(starts, np.diff(np.r_[starts, len(r)])) + 1
    existing = np.searchsorted(np.sort(created), t, side="right")
    counted[r[k >= np.minimum(min_votes, np.maximum(existing, 1))]] = True
    return counted


def ever_counted(
    participants: Sequence[str],
    statements: Sequence[str],
    votes: Iterable[tuple[str, str, float]],
    created: Iterable[float],
    *,
    min_votes: int = MIN_VOTES,
) -> set[str]:
    """`counted_over_time` by ids: votes as (participant, statement, time), `created` the statements' times."""
    p_index = {p: i for i, p in enumerate(participants)}
    s_index = {s: i for i, s in enumerate(statements)}
    known = [(p_index[p], s_index[s], t) for p, s, t in votes if p in p_index and s in s_index]
    rows, cols, at = (np.array(x) for x in zip(*known, strict=True)) if known else (np.zeros(0),) * 3
    counted = counted_over_time(rows.astype(np.int64), cols.astype(np.int64), at.astype(np.float64),
                                np.fromiter(created, dtype=np.float64), len(participants), min_votes=min_votes)  # fmt: skip
    return {participants[int(i)] for i in np.flatnonzero(counted)}


def centred_votes(matrix: VoteMatrix) -> tuple[csr_matrix, NDArray[np.float64]]:
    """The mean-imputed, centred matrix (sparse: imputed entries are zero) and the statement means."""
    n, m = matrix.shape
    keep = matrix.included_mask()[matrix.cols]
    rows, cols = matrix.rows[keep], matrix.cols[keep]
    values = matrix.values[keep].astype(np.float64)
    counts = np.bincount(cols, minlength=m)
    sums = np.bincount(cols, weights=values, minlength=m)
    center = np.divide(sums, counts, out=np.zeros(m), where=counts > 0)
    centred = csr_matrix((values - center[cols], (rows, cols)), shape=(n, m))
    return centred, center


def principal_components(centred: csr_matrix, n_components: int = 2, *, seed: int = 0) -> NDArray[np.float64]:
    """The top principal directions of the (already centred) matrix, each with a fixed sign."""
    n, m = centred.shape
    k = min(n_components, m)
    if m <= DENSE_EIGEN_MAX or k >= m - 1:
        cov = (centred.T @ centred).toarray()
        eigenvalues, eigenvectors = np.linalg.eigh(cov)
        top = eigenvectors[:, np.argsort(eigenvalues)[::-1][:k]].T
    else:
        op = LinearOperator((m, m), matvec=lambda v: centred.T @ (centred @ v), dtype=np.float64)  # type: ignore[call-arg]
        v0 = np.random.default_rng(seed).standard_normal(m)
        eigenvalues, eigenvectors = eigsh(op, k=k, which="LA", v0=v0)
        top = eigenvectors[:, np.argsort(eigenvalues)[::-1]].T
    out = np.zeros((n_components, m))
    out[:k] = top
    for row in out:  # a component and its negation are the same axis: make the largest entry positive
        if row.any() and row[np.argmax(np.abs(row))] < 0:
            row *= -1
    return out


def project(
    matrix: VoteMatrix, *, min_votes: int = MIN_VOTES, already: frozenset[str] = frozenset(), seed: int = 0
) -> Projection:
    """Place every participant on the two-dimensional opinion map, Polis's way."""
    centred, center = centred_votes(matrix)
    components = principal_components(centred, 2, seed=seed)
    raw = np.asarray(centred @ components.T)
    # Polis zeroes hidden statements' columns, so they count as "voted" (with no effect) for everyone
    n_voted = np.bincount(matrix.rows[matrix.included_mask()[matrix.cols]], minlength=matrix.shape[0])
    n_voted = n_voted + len(matrix.excluded)
    scale = np.sqrt(len(matrix.statements) / np.maximum(n_voted, 1))
    points = raw * scale[:, None]
    counted = counted_participants(matrix, min_votes=min_votes, already=already)
    return Projection(center=center, components=components, points=points, counted=counted)
