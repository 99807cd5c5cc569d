"""Dissatisfaction and fairness: rates per group and a test that finds a district served more slowly."""

from __future__ import annotations

from datetime import UTC, datetime

from minyi.insight.fairness import rates_by, unequal_service
from minyi.insight.model import CaseOutcome

T = datetime(2019, 5, 1, tzinfo=UTC)


def _case(dept: str, region: str, wd: int, ev: str | None, reopened: bool = False) -> CaseOutcome:
    return CaseOutcome(dept, region, "城乡建设", T, T, wd, ev, reopened=reopened)  # type: ignore[arg-type]


def test_rates_by_department() -> None:
    cases = [
        _case("住建局", "A1区", 3, "satisfied"),
        _case("住建局", "A1区", 20, "unsatisfied", True),
        _case("住建局", "A2区", 5, None),
        _case("城管局", "A2区", 4, "partly"),
    ]
    rates = {r.group: r for r in rates_by(cases, "department", late_after=15)}
    r = rates["住建局"]
    assert r.cases == 3 and r.evaluated == 2
    assert r.satisfied_rate == 0.5 and r.unsatisfied_rate == 0.5 and r.satisfaction_score == 0.5
    assert abs(r.reopen_rate - 1 / 3) < 1e-9 and abs(r.late_rate - 1 / 3) < 1e-9  # type: ignore[operator]
    assert rates["城管局"].satisfaction_score == 0.5


def test_unequal_service_finds_the_slow_district() -> None:
    cases = [_case("d", "A1区", 3 + i % 3, "satisfied") for i in range(20)]
    cases += [_case("d", "A2区", 4 + i % 3, "satisfied") for i in range(20)]
    cases += [_case("d", "A3区", 15 + i % 4, "unsatisfied" if i % 2 else "satisfied") for i in range(20)]
    res = unequal_service(cases, "region", "workdays")
    assert res is not None and res.significant
    assert res.worse and res.worse[0][0] == "A3区"
    sat = unequal_service(cases, "region", "satisfaction")
    assert sat is not None and sat.significant and sat.worse[0][0] == "A3区"


def test_equal_service_is_not_flagged() -> None:
    cases = [_case("d", f"A{i % 3 + 1}区", 3 + (i // 3) % 4, "satisfied") for i in range(60)]
    res = unequal_service(cases, "region", "workdays")
    assert res is not None and not res.significant and not res.worse
