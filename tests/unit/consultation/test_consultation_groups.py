"""Opinion groups: planted groups are found, k is chosen, and each group is described as Polis does."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from minyi.consultation.opinion_groups import compute_opinion_groups
from minyi.consultation.repness import prop_test, two_prop_test
from minyi.consultation.synthetic import planted_votes
from minyi.consultation.votes import build_vote_matrix


def _labels(result, participants):  # type: ignore[no-untyped-def]
    return [result.group_of[p] for p in participants]


@pytest.mark.parametrize(("groups", "seed"), [(2, 0), (2, 1), (3, 0), (3, 1)])
def test_planted_groups_are_recovered(groups: int, seed: int) -> None:
    # (four groups with random sides are not always apart on a two-dimensional map, Polis's or ours)
    matrix, truth = planted_votes(600, 60, groups=groups, votes_each=40, stance=0.9, seed=seed)
    result = compute_opinion_groups(matrix)
    assert len(result.groups) == groups
    assert adjusted_rand_score(truth, _labels(result, matrix.participants)) > 0.95


def test_the_same_votes_and_seed_give_the_same_groups() -> None:
    matrix, _ = planted_votes(300, 40, groups=3, seed=7)
    first, again = compute_opinion_groups(matrix, seed=3), compute_opinion_groups(matrix, seed=3)
    assert first.group_of == again.group_of and first.points == again.points
    assert [g.size for g in first.groups] == sorted((g.size for g in first.groups), reverse=True)


def _planted_plus(newcomer: str) -> list[tuple[str, str, int]]:
    matrix, _ = planted_votes(200, 40, groups=2, votes_each=20, seed=1)
    votes = [(matrix.participants[i], matrix.statements[j], int(v))
             for i, j, v in zip(matrix.rows, matrix.cols, matrix.values, strict=True)]  # fmt: skip
    return votes + [(newcomer, "s0", 1), (newcomer, "s1", -1)]


def test_participants_who_voted_too_little_have_no_group() -> None:
    result = compute_opinion_groups(build_vote_matrix(_planted_plus("newcomer")))
    assert result.group_of["newcomer"] is None
    assert sum(g.size for g in result.groups) == 200


# Two camps of six on statements 0-3; everyone agrees with 4; statement 5 is hidden.
CAMP_A = [1, 1, 1, -1, 1, 1]
CAMP_B = [-1, -1, -1, 1, 1, -1]


def _camps():  # type: ignore[no-untyped-def]
    votes = []
    for p in range(16):
        stance = CAMP_A if p < 8 else CAMP_B
        votes += [(f"p{p}", f"s{s}", v) for s, v in enumerate(stance)]
    votes[2 * 6 + 1] = ("p2", "s1", 0)  # one pass, so the camps are not perfectly uniform
    return build_vote_matrix(votes, excluded=["s5"])


def test_representative_statements_set_each_camp_apart() -> None:
    result = compute_opinion_groups(_camps())
    assert len(result.groups) == 2
    by_member = {g.members[0]: g for g in result.groups}
    a, b = by_member["p0"], by_member["p8"]
    assert set(a.members) == {f"p{i}" for i in range(8)}
    for group, agreed in ((a, {0, 1, 2}), (b, {3})):
        reps = group.representative
        assert reps and {r.statement for r in reps} <= {0, 1, 2, 3}
        assert {r.statement for r in reps if r.direction == "agree"} <= agreed
        assert all(r.p_test > 1.2816 and r.repness_test > 1.2816 for r in reps)
        assert [r.direction for r in reps] == sorted((r.direction for r in reps), key=lambda d: d != "agree")


def test_consensus_is_what_every_group_agrees_with_and_divisive_what_they_split_on() -> None:
    result = compute_opinion_groups(_camps())
    assert [(s.statement, s.direction) for s in result.consensus] == [(4, "agree")]
    assert {s.statement for s in result.divisive} == {0, 1, 2, 3}
    assert all(s.score > 0.5 for s in result.divisive)
    assert 5 not in {s.statement for s in (*result.consensus, *result.divisive)}  # hidden


def test_polis_z_statistics() -> None:
    # one proportion: 2 * sqrt(n + 1) * ((s + 1) / (n + 1) - 1/2)
    assert prop_test(np.array(8), np.array(10)) == pytest.approx(2 * np.sqrt(11) * (9 / 11 - 0.5))
    # two proportions with pseudocounts: (9/11 - 3/11) / sqrt(p(1-p)(1/11 + 1/11)), p = 12/22
    pooled = 12 / 22
    expected = (9 / 11 - 3 / 11) / np.sqrt(pooled * (1 - pooled) * (2 / 11))
    assert two_prop_test(np.array(8), np.array(2), np.array(10), np.array(10)) == pytest.approx(expected)
    assert two_prop_test(np.array(4), np.array(4), np.array(4), np.array(4)) == 0.0  # everyone agrees


def test_an_empty_matrix_has_no_groups() -> None:
    result = compute_opinion_groups(build_vote_matrix([]))
    assert result.groups == () and result.group_of == {}


def test_once_counted_a_participant_stays_grouped() -> None:
    result = compute_opinion_groups(build_vote_matrix(_planted_plus("early")), already_counted=["early"])
    assert result.group_of["early"] is not None
