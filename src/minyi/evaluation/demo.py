"""Demo data of public evaluation: last year's period, closed with its results, and this year's in progress."""

from __future__ import annotations

import random
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.accounts.actions import actor_of
from minyi.cases.models import Case
from minyi.errors import Conflict, NotFound
from minyi.evaluation import actions as act
from minyi.evaluation.models import EvaluationPeriod
from minyi.evaluation.queries import verify_rater
from minyi.evaluation.rules import CRITERION_KEYS, Rater
from minyi.uow import end_read

LEANING = (5, 5, 4, 4, 4, 3, 3, 2, 1)  # most satisfied, a tail of dissatisfied: a spread worth showing


def _rate(session: Session, period_id: int, rater: Rater, department_id: int, rng: random.Random) -> int:
    try:
        act.do_rate(
            session, rater, period_id, department_id, {k: rng.choice(LEANING) for k in CRITERION_KEYS}
        )
    except Conflict:  # the same person again (two cases of one submitter): one rating each, as for anyone
        return 0
    return 1


def _rate_all(
    session: Session, period_id: int, codes: list[str], tracking: list[str], rng: random.Random
) -> int:
    n = 0
    for code in tracking:
        rater = verify_rater(session, tracking_code=code, proposer_code=None)
        n += sum(_rate(session, period_id, rater, d, rng) for d in sorted(rater.departments or ()))
    period = session.get(EvaluationPeriod, period_id)
    assert period is not None
    for code in codes:
        try:
            rater = verify_rater(session, tracking_code=None, proposer_code=code)
        except NotFound:  # a kind of proposer that does not rate
            continue
        n += sum(_rate(session, period_id, rater, d, rng) for d in list(period.department_ids)[:4])
    return n


def load_evaluation_demo(
    session: Session, users: dict[str, Any], proposer_codes: dict[str, str]
) -> dict[str, Any]:
    """Two periods (once): 2025 closed with published results, 2026 open with ratings coming in."""
    if session.scalar(select(EvaluationPeriod.id).limit(1)) is not None:
        return {}
    rng = random.Random(2026)
    supervisor = actor_of(users["supervisor"])
    answered = list(session.scalars(
        select(Case.tracking_code).where(Case.replied_at.is_not(None), Case.department_id.is_not(None)).order_by(Case.id)
    ))  # fmt: skip
    end_read(session)
    codes = list(proposer_codes.values())
    last = act.do_open_period(session, supervisor, "2025年度部门民主评议")
    rated_last = _rate_all(session, last.id, codes, answered[:60], rng)
    act.do_close_period(session, supervisor, last.id)
    current = act.do_open_period(session, supervisor, "2026年度部门民主评议")
    rated_now = _rate_all(session, current.id, codes[:1], answered[60:90], rng)
    return {"closed": last.id, "open": current.id, "ratings": rated_last + rated_now}
