"""A period as the public sees it: while open, how many rated each department; once closed, for departments with
enough raters, each criterion's mean beside the whole distribution of marks."""

from __future__ import annotations

from sqlalchemy.orm import Session

from minyi.evaluation.models import EvaluationPeriod
from minyi.evaluation.queries import department_names, results
from minyi.evaluation.rules import CRITERIA, MIN_PUBLISHED_RATERS, SCALE_EN, SCALE_ZH, PeriodState
from minyi.evaluation.schemas import CriterionOut, CriterionResultOut, DepartmentResultOut, PeriodOut
from minyi.locale import pick


def period_view(session: Session, period: EvaluationPeriod, *, with_results: bool = True) -> PeriodOut:
    """The period, its published criteria and scale, and the results it may publish now."""
    out = PeriodOut(
        id=period.id, title=period.title, state=period.state, opened_at=period.opened_at, closed_at=period.closed_at,
        criteria=[CriterionOut(key=k, name=zh, name_en=en) for k, zh, en in CRITERIA],
        scale={v: pick(SCALE_ZH[v], SCALE_EN[v]) for v in SCALE_ZH}, min_published_raters=MIN_PUBLISHED_RATERS,
    )  # fmt: skip
    if not with_results:
        return out
    names = department_names(session, list(period.department_ids))
    closed = period.state == PeriodState.closed
    for res in results(session, period):
        zh, en = names.get(res.department_id, (str(res.department_id), None))
        shown = closed and res.published
        out.results.append(DepartmentResultOut(
            department_id=res.department_id, name=pick(zh, en or zh), raters=res.raters, by_kind=res.by_kind,
            published=shown,
            criteria=[CriterionResultOut(key=c.key, mean=c.mean, counts=c.counts, shares=c.shares())
                      for c in res.criteria.values()] if shown else [],
        ))  # fmt: skip
    return out
