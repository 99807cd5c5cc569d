"""JSON API of public evaluation: periods and results (public), ratings (verified raters), open/close (supervisors)."""

from __future__ import annotations

from fastapi import APIRouter, status

from minyi.deps import SessionDep, StaffDep
from minyi.evaluation import actions as act
from minyi.evaluation.present import period_view
from minyi.evaluation.queries import get_period, list_periods, verify_rater
from minyi.evaluation.schemas import PeriodIn, PeriodOut, RatingIn
from minyi.fields import CaseIdInPath
from minyi.uow import end_read

router = APIRouter(tags=["evaluation"])


@router.get("/evaluations", response_model=list[PeriodOut])
def periods(session: SessionDep) -> list[PeriodOut]:
    """民主评议: every evaluation period, with its criteria (results on each period's own page)."""
    out = [period_view(session, p, with_results=False) for p in list_periods(session)]
    end_read(session)
    return out


@router.get("/evaluations/{period_id}", response_model=PeriodOut)
def period(period_id: CaseIdInPath, session: SessionDep) -> PeriodOut:
    """One period: raters per department, and once it is closed each criterion's mean and distribution."""
    out = period_view(session, get_period(session, period_id))
    end_read(session)
    return out


@router.post("/evaluations/{period_id}/ratings", status_code=status.HTTP_201_CREATED)
def rate(period_id: CaseIdInPath, body: RatingIn, session: SessionDep) -> dict[str, bool]:
    """Rate a department (one rating per person per department; a citizen rates the department that answered them)."""
    rater = verify_rater(session, tracking_code=body.tracking_code, proposer_code=body.proposer_code)
    act.do_rate(session, rater, period_id, body.department_id, body.scores)
    return {"rated": True}


@router.post("/evaluations", response_model=PeriodOut, status_code=status.HTTP_201_CREATED)
def open_period(body: PeriodIn, actor: StaffDep, session: SessionDep) -> PeriodOut:
    """Open an evaluation period over every active department (supervisors)."""
    return period_view(session, act.do_open_period(session, actor, body.title))


@router.post("/evaluations/{period_id}/close", response_model=PeriodOut)
def close_period(period_id: CaseIdInPath, actor: StaffDep, session: SessionDep) -> PeriodOut:
    """Close the period and publish its results (supervisors)."""
    return period_view(session, act.do_close_period(session, actor, period_id))
