"""Writes of public evaluation, each one unit of work on the audit chain (never naming who rated)."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from minyi.access import OVERSIGHT
from minyi.accounts.actor import Actor
from minyi.accounts.roles import Role
from minyi.db import utcnow
from minyi.departments.models import Department
from minyi.errors import Conflict, Forbidden, InvalidInput
from minyi.evaluation.models import EvaluationPeriod, EvaluationRating
from minyi.evaluation.queries import get_period, rater_digest
from minyi.evaluation.rules import PeriodState, Rater, check_rating
from minyi.uow import write

RATER = Actor(Role.citizen, "evaluation rater")


def _only_supervisors(actor: Actor) -> None:
    if actor.role not in OVERSIGHT:
        raise Forbidden("仅督查人员可以开启或结束评议", "only supervisors open and close an evaluation")


def do_open_period(session: Session, actor: Actor, title: str) -> EvaluationPeriod:
    """Open a period over every active department (one open period at a time)."""
    _only_supervisors(actor)
    if not 2 <= len(title.strip()) <= 200:
        raise InvalidInput("请填写评议名称", "give the evaluation a title", field="title")
    if session.scalar(select(EvaluationPeriod.id).where(EvaluationPeriod.state == PeriodState.open)):
        raise Conflict("已有正在进行的评议", "another evaluation period is open", field="title")
    departments = list(
        session.scalars(select(Department.id).where(Department.active.is_(True)).order_by(Department.id))
    )
    with write(session, actor) as tx:
        period = EvaluationPeriod(title=title.strip(), state=PeriodState.open, department_ids=departments,
                                  opened_by=actor.user_id, opened_at=utcnow())  # fmt: skip
        session.add(period)
        session.flush()
        tx.record("evaluation.opened", "evaluation_period", period.id, {"departments": len(departments)})
    return period


def do_close_period(session: Session, actor: Actor, period_id: int) -> EvaluationPeriod:
    """Close a period: no more ratings, and the results are published."""
    _only_supervisors(actor)
    if get_period(session, period_id).state != PeriodState.open:
        raise Conflict("评议已结束", "the evaluation period is already closed")
    with write(session, actor) as tx:
        period = get_period(session, period_id, for_update=True)
        if period.state != PeriodState.open:
            raise Conflict("评议已结束", "the evaluation period is already closed")
        period.state, period.closed_at = PeriodState.closed, utcnow()
        tx.record("evaluation.closed", "evaluation_period", period.id, {})
    return period


def do_rate(
    session: Session, rater: Rater, period_id: int, department_id: int, scores: Mapping[str, int]
) -> None:
    """One rating; a second by the same person for the same department is refused (and the database refuses it
    too, should two arrive at once)."""
    period = get_period(session, period_id)
    check_rating(period.state, rater, department_id, period.department_ids, scores)
    digest = rater_digest(period_id, rater)
    taken = select(EvaluationRating.id).where(EvaluationRating.period_id == period_id,
                                              EvaluationRating.department_id == department_id,
                                              EvaluationRating.rater_digest == digest)  # fmt: skip
    if session.scalar(taken) is not None:
        raise _already()
    try:
        _write_rating(session, rater, period_id, department_id, digest, scores)
    except IntegrityError:
        raise _already() from None


def _already() -> Conflict:
    return Conflict("您已评议过该部门", "you have already rated this department", field="department_id")


def _write_rating(
    session: Session, rater: Rater, period_id: int, department_id: int, digest: str, scores: Mapping[str, int]
) -> None:
    with write(session, RATER) as tx:
        period = get_period(session, period_id, for_update=True)
        check_rating(
            period.state, rater, department_id, period.department_ids, scores
        )  # again, under the lock
        session.add(EvaluationRating(period_id=period_id, department_id=department_id, rater_digest=digest,
                                     rater_kind=rater.kind, scores=dict(scores), created_at=utcnow()))  # fmt: skip
        session.flush()
        tx.record("evaluation.rated", "evaluation_period", period_id,
                  {"department_id": department_id, "rater_kind": rater.kind})  # fmt: skip
