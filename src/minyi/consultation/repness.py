"""What sets each group apart (representative statements) and what all groups share or split on.

Polis's statistics (math/src/polismath/math/{repness,stats}.clj): within a group, the probability of
agreeing is (agrees + 1) / (votes + 2) (a pass is a vote, a missing vote is not), tested against one
half with a one-proportion z-test; against the rest of the crowd, the ratio of those probabilities
("repness") is tested with a two-proportion z-test. A statement represents a group when both tests pass
at 90 % (z > 1.2816), for agreement or for disagreement; the top five by repness × its z × probability ×
its z are kept, and a group with none keeps its single most distinctive statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

Z_90 = 1.2816  # one-sided 90 % significance, as Polis
TOP = 5


@dataclass(frozen=True)
class GroupVotes:
    """Per group (rows) and statement (columns): agrees, disagrees, and votes (passes included)."""

    agree: NDArray[np.int64]
    disagree: NDArray[np.int64]
    seen: NDArray[np.int64]

    @property
    def p_agree(self) -> NDArray[np.float64]:
        return (self.agree + 1) / (self.seen + 2)

    @property
    def p_disagree(self) -> NDArray[np.float64]:
        return (self.disagree + 1) / (self.seen + 2)


@dataclass(frozen=True)
class Representative:
    """A statement that sets a group apart, and in which direction."""

    statement: int
    direction: Literal["agree", "disagree"]
    n_success: int
    n_trials: int
    p_success: float
    p_test: float
    repness: float
    repness_test: float


@dataclass(frozen=True)
class SharedStatement:
    """A statement judged across groups: each group's probability of agreeing, and how they relate."""

    statement: int
    direction: Literal["agree", "disagree", "split"]
    p_agree_by_group: tuple[float, ...]
    score: float


def tally(
    rows: NDArray[np.int32], cols: NDArray[np.int32], values: NDArray[np.int8], group_of_row: NDArray[np.int64],
    n_groups: int, n_statements: int,
) -> GroupVotes:  # fmt: skip
    """Count each group's votes per statement; rows whose group is -1 are left out."""
    g = group_of_row[rows]
    keep = g >= 0
    index = g[keep] * n_statements + cols[keep]
    v = values[keep]
    size = n_groups * n_statements
    shape = (n_groups, n_statements)
    return GroupVotes(
        agree=np.bincount(index[v > 0], minlength=size).reshape(shape),
        disagree=np.bincount(index[v < 0], minlength=size).reshape(shape),
        seen=np.bincount(index, minlength=size).reshape(shape),
    )


def prop_test(successes: NDArray, n: NDArray) -> NDArray[np.float64]:
    """Polis's one-proportion z statistic against one half (with a pseudocount)."""
    s, t = successes + 1.0, n + 1.0
    return np.asarray(2 * np.sqrt(t) * (s / t - 0.5))


def two_prop_test(succ_in: NDArray, succ_out: NDArray, n_in: NDArray, n_out: NDArray) -> NDArray[np.float64]:
    """Polis's two-proportion z statistic, inside versus outside the group (with pseudocounts)."""
    s1, s2, n1, n2 = succ_in + 1.0, succ_out + 1.0, n_in + 1.0, n_out + 1.0
    pooled = (s1 + s2) / (n1 + n2)
    spread = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (s1 / n1 - s2 / n2) / spread
    return np.where(pooled >= 1, 0.0, np.nan_to_num(z))


def representative(votes: GroupVotes, include: NDArray[np.bool_]) -> list[list[Representative]]:
    """For each group, up to five statements that set it apart (Polis's selection)."""
    out: list[list[Representative]] = []
    total_a, total_d, total_s = votes.agree.sum(0), votes.disagree.sum(0), votes.seen.sum(0)
    for g in range(votes.agree.shape[0]):
        na, nd, ns = votes.agree[g], votes.disagree[g], votes.seen[g]
        ra_, rd_, rs_ = total_a - na, total_d - nd, total_s - ns
        pa, pd = votes.p_agree[g], votes.p_disagree[g]
        pat, pdt = prop_test(na, ns), prop_test(nd, ns)
        ra = pa / ((1 + ra_) / (2 + rs_))
        rd = pd / ((1 + rd_) / (2 + rs_))
        rat, rdt = two_prop_test(na, ra_, ns, rs_), two_prop_test(nd, rd_, ns, rs_)
        agree = rat > rdt
        pick = np.where(agree, 1, 0)
        stats = [  # (n_success, p, p_test, repness, repness_test) per direction chosen
            np.where(pick, na, nd), np.where(pick, pa, pd), np.where(pick, pat, pdt),
            np.where(pick, ra, rd), np.where(pick, rat, rdt),
        ]  # fmt: skip
        passes = ((rat > Z_90) & (pat > Z_90)) | ((rdt > Z_90) & (pdt > Z_90))
        candidates = np.flatnonzero(passes & include & (ns > 0))
        if len(candidates):
            metric = stats[3] * stats[4] * stats[1] * stats[2]
            chosen = candidates[np.argsort(-metric[candidates], kind="stable")][:TOP]
        else:
            seen = np.flatnonzero(include & (ns > 0))
            chosen = seen[np.argsort(-np.maximum(rat, rdt)[seen], kind="stable")][:1]
        reps = [
            Representative(
                statement=int(j),
                direction="agree" if agree[j] else "disagree",
                n_success=int(stats[0][j]),
                n_trials=int(ns[j]),
                p_success=float(stats[1][j]),
                p_test=float(stats[2][j]),
                repness=float(stats[3][j]),
                repness_test=float(stats[4][j]),
            )  # fmt: skip
            for j in chosen
        ]
        out.append(sorted(reps, key=lambda r: r.direction != "agree"))  # agreements first, as Polis
    return out


def consensus(votes: GroupVotes, include: NDArray[np.bool_], *, top: int = TOP) -> list[SharedStatement]:
    """Statements every group agrees with (or every group rejects), most certain first.

    A statement qualifies when in each group the probability is above one half and significant; it is
    ranked by the product of the groups' probabilities (Polis's group-aware consensus).
    """
    out: list[SharedStatement] = []
    for direction, n, p in (
        ("agree", votes.agree, votes.p_agree),
        ("disagree", votes.disagree, votes.p_disagree),
    ):
        z = prop_test(n, votes.seen)
        ok = include & np.all((p > 0.5) & (z > Z_90), axis=0)
        score = np.prod(p, axis=0)
        for j in np.flatnonzero(ok)[np.argsort(-score[ok], kind="stable")][:top]:
            out.append(SharedStatement(int(j), direction, tuple(float(x) for x in votes.p_agree[:, j]),  # type: ignore[arg-type]
                                       float(score[j])))  # fmt: skip
    return out


def divisive(votes: GroupVotes, include: NDArray[np.bool_], *, top: int = TOP) -> list[SharedStatement]:
    """Statements the groups split on: one group mostly agrees while another mostly disagrees.

    Ranked by the gap between the most and the least agreeing group's probability of agreeing.
    """
    pa, pd = votes.p_agree, votes.p_disagree
    za, zd = prop_test(votes.agree, votes.seen), prop_test(votes.disagree, votes.seen)
    agrees = np.any((pa > 0.5) & (za > Z_90), axis=0)
    rejects = np.any((pd > 0.5) & (zd > Z_90), axis=0)
    ok = include & agrees & rejects
    gap = pa.max(axis=0) - pa.min(axis=0) if len(pa) else np.zeros(pa.shape[1])
    return [
        SharedStatement(int(j), "split", tuple(float(x) for x in pa[:, j]), float(gap[j]))
        for j in np.flatnonzero(ok)[np.argsort(-gap[ok], kind="stable")][:top]
    ]
