"""The risk list's pure rules: a deteriorating department flags with its reasons; noise and small numbers do not."""

from __future__ import annotations

from minyi.accountability.risk import History, Week, assess, rising, risk_list


def _steady(n: int = 20, late: int = 1, unsat: int = 2, rep: int = 1) -> Week:
    return Week(due=n, late=late, evaluated=n, unsatisfied=unsat, registered=n, repeats=rep)


def test_a_department_getting_worse_flags_with_each_reason() -> None:
    worse = Week(due=20, late=8, evaluated=20, unsatisfied=9, registered=20, repeats=6)
    risk = assess(History(1, (_steady(),) * 7 + (worse,) * 3))
    assert risk is not None and {r.code for r in risk.reasons} == {"overdue", "unsatisfied", "repeats"}
    assert "40%" in risk.reasons[0].zh and "5%" in risk.reasons[0].en


def test_a_steady_department_and_a_tiny_one_do_not_flag() -> None:
    assert assess(History(1, (_steady(),) * 10)) is None
    tiny = Week(due=1, late=1, evaluated=1, unsatisfied=1, registered=1, repeats=1)
    assert assess(History(2, (Week(),) * 7 + (tiny,) * 3)) is None  # three cases: too few to say
    assert (
        rising(3, 20, 20, 400, 0.1) is None
    )  # 15% against a 5% baseline on 20 cases is not improbable enough


def test_collective_matters_flag_when_unusual_and_slipping_rectification_alone() -> None:
    quiet = (_steady(),) * 10
    crowd = (_steady(),) * 7 + (
        Week(due=20, late=1, evaluated=20, unsatisfied=2, registered=20, repeats=1, collective=2),
    ) * 3
    usual = tuple(
        Week(due=20, late=1, evaluated=20, unsatisfied=2, registered=20, repeats=1, collective=1)
        for _ in range(10)
    )
    ranked = risk_list(
        [History(1, crowd), History(2, quiet, slipping=2), History(3, quiet), History(4, usual)]
    )
    assert [r.department_id for r in ranked] == [1, 2]  # six matters in three weeks, against none before
    assert ranked[1].reasons[0].code == "rectification" and ranked[0].reasons[0].code == "collective"
