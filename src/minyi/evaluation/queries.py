"""Reads of public evaluation: verifying a rater, the periods, and the results as published."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.cases.queries import access_case_by_tracking_code
from minyi.departments.models import Department
from minyi.errors import NotFound
from minyi.evaluation.models import EvaluationPeriod, EvaluationRating
from minyi.evaluation.rules import DepartmentResult, Rater, proposer_rater_kind, tally
from minyi.fields import is_id
from minyi.settings import get_settings
from minyi.suggestions.queries import access_proposer_by_code


def _unverified() -> NotFound:
    return NotFound("可用于评议的查询码", "a code that may rate")


def verify_rater(session: Session, *, tracking_code: str | None, proposer_code: str | None) -> Rater:
    """The rater a code vouches for: a citizen's tracking code of an answered case (for the department that
    answered it), or a deputy's or organisation's proposer code (any department). Anything else: 404."""
    if tracking_code:
        try:
            case = access_case_by_tracking_code(session, tracking_code)
        except NotFound:
            raise _unverified() from None
        if case.replied_at is None or case.department_id is None:
            raise _unverified()
        key = f"submitter:{case.submitter_id}" if case.submitter_id else f"case:{case.id}"
        return Rater("citizen", key, frozenset({case.department_id}))
    if proposer_code:
        try:
            proposer = access_proposer_by_code(session, proposer_code)
        except NotFound:
            raise _unverified() from None
        kind = proposer_rater_kind(proposer.kind)
        if kind is None:
            raise _unverified()
        return Rater(kind, f"proposer:{proposer.id}", None)
    raise _unverified()


def rater_digest(period_id: int, rater: Rater) -> str:
    """The keyed hash that stands for the rater in one period (the database never holds who rated)."""
    secret = get_settings().secret_key.encode()
    return hmac.new(secret, f"evaluation:{period_id}:{rater.key}".encode(), hashlib.sha256).hexdigest()


def list_periods(session: Session) -> Sequence[EvaluationPeriod]:
    """Every period, newest first (all of them are public)."""
    return session.scalars(select(EvaluationPeriod).order_by(EvaluationPeriod.id.desc())).all()


def get_period(session: Session, period_id: int, *, for_update: bool = False) -> EvaluationPeriod:
    """A period or 404."""
    stmt = select(EvaluationPeriod).where(EvaluationPeriod.id == period_id)
    if for_update:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    period = session.scalar(stmt) if is_id(period_id) else None
    if period is None:
        raise NotFound("评议", "evaluation period")
    return period


def department_names(session: Session, ids: Sequence[int]) -> dict[int, tuple[str, str | None]]:
    """Names (中文, English) of the departments of a period."""
    rows = session.execute(
        select(Department.id, Department.name, Department.name_en).where(Department.id.in_(ids))
    )
    return {r.id: (r.name, r.name_en) for r in rows}


def results(session: Session, period: EvaluationPeriod) -> list[DepartmentResult]:
    """The period's results per department (the caller publishes figures only where `published`)."""
    rows = session.execute(
        select(EvaluationRating.department_id, EvaluationRating.rater_kind, EvaluationRating.scores)
        .where(EvaluationRating.period_id == period.id)
        .order_by(EvaluationRating.id)
    )
    return tally(list(period.department_ids), [(r.department_id, r.rater_kind, r.scores) for r in rows])
