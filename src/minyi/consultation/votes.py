"""The participants × statements vote matrix, kept sparse: one entry per (participant, statement) last vote."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from minyi.errors import InvalidInput

AGREE, PASS, DISAGREE = 1, 0, -1
VALID_VOTES = frozenset({AGREE, PASS, DISAGREE})


class VoteError(InvalidInput):
    """A vote the matrix cannot hold."""

    code = "invalid_vote"


@dataclass(frozen=True)
class VoteMatrix:
    """Sparse votes: `rows[i]` voted `values[i]` on statement `cols[i]`; a missing entry means "not seen".

    A pass (0) is a vote: it counts towards how much someone voted, unlike a missing entry.
    `excluded` marks statements hidden by moderation: their votes count towards the participation
    threshold but not towards the map (Polis zeroes such columns).
    """

    participants: tuple[str, ...]
    statements: tuple[str, ...]
    rows: NDArray[np.int32]
    cols: NDArray[np.int32]
    values: NDArray[np.int8]
    excluded: frozenset[int] = frozenset()

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.participants), len(self.statements)

    def votes_per_participant(self) -> NDArray[np.int64]:
        """How many statements each participant voted on (passes included)."""
        return np.bincount(self.rows, minlength=len(self.participants))

    def included_mask(self) -> NDArray[np.bool_]:
        """True for each statement that takes part in the map."""
        mask = np.ones(len(self.statements), dtype=bool)
        if self.excluded:
            mask[list(self.excluded)] = False
        return mask

    def dense(self) -> NDArray[np.float64]:
        """The matrix with NaN for missing votes (for small matrices and tests)."""
        out = np.full(self.shape, np.nan)
        out[self.rows, self.cols] = self.values
        return out


def build_vote_matrix(
    votes: Iterable[tuple[str, str, int]],
    *,
    participants: Sequence[str] = (),
    statements: Sequence[str] = (),
    excluded: Iterable[str] = (),
) -> VoteMatrix:
    """Build the matrix from (participant, statement, vote) in time order: the last vote on a statement counts.

    `participants` and `statements` fix an order (and may name some with no votes); others are appended
    in order of first appearance.
    """
    p_index = {p: i for i, p in enumerate(dict.fromkeys(participants))}
    s_index = {s: i for i, s in enumerate(dict.fromkeys(statements))}
    last: dict[tuple[int, int], int] = {}
    for participant, statement, vote in votes:
        if vote not in VALID_VOTES:
            raise VoteError(
                f"票只能是 1（同意）、-1（反对）或 0（跳过），收到 {vote!r}",
                f"a vote is 1, -1 or 0, not {vote!r}",
                field="vote",
            )
        i = p_index.setdefault(participant, len(p_index))
        j = s_index.setdefault(statement, len(s_index))
        last[(i, j)] = vote
    keys = np.array(list(last.keys()), dtype=np.int32).reshape(-1, 2)
    hidden = frozenset(s_index[s] for s in excluded if s in s_index)
    return VoteMatrix(
        participants=tuple(p_index),
        statements=tuple(s_index),
        rows=keys[:, 0].copy(),
        cols=keys[:, 1].copy(),
        values=np.fromiter(last.values(), dtype=np.int8, count=len(last)),
        excluded=hidden,
    )
