"""The pure rules of a public evaluation: the published criteria and scale, who may rate which department, and the
published results (the number of raters and the whole distribution of scores, not only a mean). Pure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from minyi.errors import Conflict, InvalidInput


class PeriodState(StrEnum):
    open = "open"
    closed = "closed"


# the published criteria (key, 中文, English): few, plain, and the same for every department
CRITERIA: tuple[tuple[str, str, str], ...] = (
    ("service", "服务态度", "attitude and service"),
    ("efficiency", "办事效率", "efficiency"),
    ("lawful", "依法办事", "acting by the law"),
    ("integrity", "廉洁自律", "integrity"),
    ("openness", "公开透明", "openness"),
)
CRITERION_KEYS = tuple(key for key, _zh, _en in CRITERIA)
SCALE = (1, 2, 3, 4, 5)
SCALE_ZH = {1: "很不满意", 2: "不满意", 3: "一般", 4: "满意", 5: "很满意"}
SCALE_EN = {1: "very unsatisfied", 2: "unsatisfied", 3: "neutral", 4: "satisfied", 5: "very satisfied"}
# below this many raters a department's figures are not published (a single deputy's scores would be his own)
MIN_PUBLISHED_RATERS = 3
# who may rate: verified citizens (a tracking code of an answered case, for the department that answered it),
# deputies and CPPCC members, and organisations (their proposer code), for any department in the period
DEPUTY_KINDS = frozenset({"deputy", "cppcc_member"})
ORGANISATION_KINDS = frozenset({"organisation", "party", "committee"})


@dataclass(frozen=True)
class Rater:
    """A verified rater: the kind, a stable key for one person (never published), and where they may rate."""

    kind: str  # citizen | deputy | organisation
    key: str
    departments: frozenset[int] | None  # None: every department in the period


def proposer_rater_kind(proposer_kind: str) -> str | None:
    """The rater kind of a proposer (None: this kind of proposer does not rate)."""
    if proposer_kind in DEPUTY_KINDS:
        return "deputy"
    if proposer_kind in ORGANISATION_KINDS:
        return "organisation"
    return None


def check_rating(state: str, rater: Rater, department_id: int, period_departments: Iterable[int],
                 scores: Mapping[str, int]) -> None:  # fmt: skip
    """Refuse a rating in a closed period, of a department outside the period or the rater's reach, or with
    scores that are not one 1–5 mark for each published criterion."""
    if state != PeriodState.open:
        raise Conflict("评议已结束或尚未开始", "the evaluation period is not open", field="period")
    if department_id not in set(period_departments):
        raise InvalidInput("该部门不在本次评议范围内", "the department is not evaluated in this period",
                           field="department_id")  # fmt: skip
    if rater.departments is not None and department_id not in rater.departments:
        raise InvalidInput("您可以评议为您办理过诉求的部门", "you may rate the department that answered your case",
                           field="department_id")  # fmt: skip
    if set(scores) != set(CRITERION_KEYS) or any(v not in SCALE for v in scores.values()):
        raise InvalidInput(
            "请为每一项评分（1至5分）", "give each criterion a mark from 1 to 5", field="scores"
        )


@dataclass
class CriterionResult:
    """One criterion of one department: how many marks of each value, and their mean."""

    key: str
    counts: dict[int, int] = field(default_factory=lambda: {v: 0 for v in SCALE})

    @property
    def n(self) -> int:
        return sum(self.counts.values())

    @property
    def mean(self) -> float | None:
        return round(sum(v * c for v, c in self.counts.items()) / self.n, 2) if self.n else None

    def shares(self) -> dict[int, float]:
        """The share of each mark (the spread), in per cent."""
        return {v: round(100 * c / self.n, 1) if self.n else 0.0 for v, c in self.counts.items()}


@dataclass
class DepartmentResult:
    """A department's results: raters by kind, and each criterion's distribution."""

    department_id: int
    raters: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    criteria: dict[str, CriterionResult] = field(
        default_factory=lambda: {k: CriterionResult(k) for k in CRITERION_KEYS}
    )

    @property
    def published(self) -> bool:
        return self.raters >= MIN_PUBLISHED_RATERS


def tally(
    departments: Iterable[int], ratings: Iterable[tuple[int, str, Mapping[str, int]]]
) -> list[DepartmentResult]:
    """The results per department from (department_id, rater kind, scores) rows, in the given order."""
    out = {d: DepartmentResult(d) for d in departments}
    for department_id, kind, scores in ratings:
        res = out.get(department_id)
        if res is None:
            continue
        res.raters += 1
        res.by_kind[kind] = res.by_kind.get(kind, 0) + 1
        for key, value in scores.items():
            if key in res.criteria and value in SCALE:
                res.criteria[key].counts[value] += 1
    return list(out.values())
