"""The map: who counts, imputation by the statement's mean, PCA, and the sparsity scaling."""

from __future__ import annotations

import numpy as np
import pytest

from minyi.consultation import projection
from minyi.consultation.projection import centred_votes, counted_participants, principal_components, project
from minyi.consultation.votes import VoteError, VoteMatrix, build_vote_matrix


def _matrix(rows: list[list[int | None]], excluded: frozenset[int] = frozenset()) -> VoteMatrix:
    votes = [(f"p{i}", f"s{j}", v) for i, row in enumerate(rows) for j, v in enumerate(row) if v is not None]
    return build_vote_matrix(
        votes, participants=[f"p{i}" for i in range(len(rows))], statements=[f"s{j}" for j in range(len(rows[0]))],
        excluded=[f"s{j}" for j in excluded],
    )  # fmt: skip


HAND = [
    [1, 1, -1, None],
    [1, None, -1, 0],
    [-1, -1, 1, 1],
    [None, -1, 1, 1],
    [0, 1, None, -1],
]


def test_missing_votes_are_imputed_by_the_statement_mean_so_centred_entries_are_zero() -> None:
    matrix = _matrix(HAND)
    centred, center = centred_votes(matrix)
    dense = matrix.dense()
    means = np.nanmean(dense, axis=0)  # a pass is a 0 vote in the mean; a missing vote is not counted
    assert center == pytest.approx(means)
    imputed = np.where(np.isnan(dense), means, dense)
    assert centred.toarray() == pytest.approx(imputed - imputed.mean(axis=0))


def test_principal_components_match_an_svd_of_the_imputed_matrix_on_both_paths(monkeypatch) -> None:
    matrix = _matrix(HAND)
    centred, _ = centred_votes(matrix)
    _, _, vt = np.linalg.svd(centred.toarray())
    exact = principal_components(centred)
    monkeypatch.setattr(projection, "DENSE_EIGEN_MAX", 0)
    iterative = principal_components(centred)
    for got in (exact, iterative):
        for k in range(2):
            assert abs(float(got[k] @ vt[k])) == pytest.approx(1.0, abs=1e-6)
            assert got[k][np.argmax(np.abs(got[k]))] > 0  # the sign is fixed: results are reproducible


def test_projection_is_scaled_by_how_much_each_participant_voted() -> None:
    full = [[1, -1, 1, -1], [-1, 1, -1, 1], [1, 1, -1, -1], [-1, -1, 1, 1]]
    half = [[1, -1, None, None]]
    result = project(_matrix(full + half))
    centred, _ = centred_votes(_matrix(full + half))
    raw = centred.toarray()[4] @ result.components.T
    assert result.points[4] == pytest.approx(raw * np.sqrt(4 / 2))
    raw0 = centred.toarray()[0] @ result.components.T
    assert result.points[0] == pytest.approx(raw0)  # voted on everything: no scaling


def test_participants_count_from_seven_votes_or_all_statements_when_fewer() -> None:
    many = [[1] * 10 for _ in range(15)] + [[1] * 6 + [None] * 4, [1] * 7 + [None] * 3]
    counted = counted_participants(_matrix(many))
    assert counted.tolist() == [True] * 15 + [False, True]
    few = [[1, 0, -1]] * 15 + [[1, 0, None]]
    assert counted_participants(_matrix(few)).tolist() == [True] * 15 + [False]


def test_with_fewer_than_fifteen_counted_the_most_active_are_added() -> None:
    rows = [[1] * 8] * 3 + [[1] * 5 + [None] * 3] * 4 + [[1] * 2 + [None] * 6] * 10 + [[None] * 7 + [1]]
    counted = counted_participants(_matrix(rows))
    assert counted.sum() == 15
    assert counted[:7].all()  # 3 with enough votes, then the 4 most active, then 8 of the 2-vote ones


def test_hidden_statements_count_for_the_threshold_but_not_for_the_map() -> None:
    rows = [[1, -1, 1, 0], [-1, 1, -1, 1], [1, 1, -1, -1], [1, -1, -1, 1]]
    with_hidden = project(_matrix(rows, excluded=frozenset({3})))
    assert with_hidden.components[:, 3].tolist() == [0.0, 0.0]
    assert with_hidden.center[3] == 0.0
    assert with_hidden.counted.all()


def test_a_vote_outside_agree_disagree_pass_is_refused() -> None:
    with pytest.raises(VoteError) as err:
        build_vote_matrix([("p", "s", 2)])
    assert err.value.code == "invalid_vote" and err.value.field == "vote"


def test_the_last_vote_on_a_statement_counts() -> None:
    matrix = build_vote_matrix([("p", "s", 1), ("q", "s", 0), ("p", "s", -1)])
    assert matrix.dense().tolist() == [[-1.0], [0.0]]


def test_who_was_counted_while_the_consultation_was_young_stays_counted() -> None:
    # statements 0-2 written at t=0, statements 3-11 at t=100; p0 votes on all three early, p1 on two early and
    # one late, p2 on eight late ones, p3 on the same statement twice (one statement)
    created = np.array([0.0] * 3 + [100.0] * 9)
    votes = [(0, 0, 1), (0, 1, 2), (0, 2, 3), (1, 0, 1), (1, 1, 2), (1, 5, 150)]
    votes += [(2, s, 200 + s) for s in range(3, 11)] + [(3, 0, 1), (3, 0, 2)]
    rows, cols, at = (np.array(x) for x in zip(*votes, strict=True))
    counted = projection.counted_over_time(rows, cols, at.astype(float), created, 5)
    assert counted.tolist() == [True, False, True, False, False]
    assert not projection.counted_over_time(rows[:0], cols[:0], at[:0].astype(float), created, 2).any()
