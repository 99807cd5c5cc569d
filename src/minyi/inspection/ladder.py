"""The ladder over rectification deadlines, run by `minyi sweep`: a reminder (催办) a few working days before an
unfinished item's deadline, a notice (督办) once it has passed, and the public report when the last one has."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from minyi.accounts.actor import SYSTEM
from minyi.deadlines.clock import calendar
from minyi.deadlines.sweep import on_sweep
from minyi.inspection.actions import do_publish_report
from minyi.inspection.models import InspectionRound, RectificationItem
from minyi.inspection.rules import REMIND_WORKDAYS, ItemStatus, Stage, report_due, rung_due
from minyi.uow import end_read, write


def _climb(session: Session, item_id: int, now: datetime) -> str | None:
    """Issue the rung an item has reached, once; returns its name."""
    cal = calendar(session)
    today = cal.local_date(now)
    with write(session, SYSTEM) as tx:
        item = session.get(RectificationItem, item_id, with_for_update=True, populate_existing=True)
        if item is None:
            return None
        near = (
            item.due_on - today
        ).days <= 3 * REMIND_WORKDAYS + 7  # count working days only when it matters
        left = cal.workdays_between(today, item.due_on) if near else REMIND_WORKDAYS + 1
        rung = rung_due(item.status, item.due_on, today, left)
        data = {"item_id": item.id, "due_on": item.due_on.isoformat()}
        if rung == 2 and item.overdue_at is None:
            item.overdue_at = now
            item.reminded_at = item.reminded_at or now
            tx.record("inspection.item_overdue", "inspection_round", item.round_id, data)
            return "rectification_overdue"
        if rung == 1 and item.reminded_at is None:
            item.reminded_at = now
            tx.record("inspection.item_reminder", "inspection_round", item.round_id, data)
            return "rectification_reminder"
    return None


@on_sweep
def sweep_rectification(session: Session, now: datetime) -> dict[str, int]:
    """Climb the ladder for every unfinished item of a rectifying round; publish the reports that are due."""
    counts = {"rectification_reminder": 0, "rectification_overdue": 0, "rectification_reports": 0}
    ids = session.scalars(
        select(RectificationItem.id)
        .join(InspectionRound, InspectionRound.id == RectificationItem.round_id)
        .where(
            InspectionRound.stage == Stage.rectifying,
            RectificationItem.status != ItemStatus.accepted,
            or_(RectificationItem.reminded_at.is_(None), RectificationItem.overdue_at.is_(None)),
        )
        .order_by(RectificationItem.id)
    ).all()
    end_read(session)
    for item_id in ids:
        issued = _climb(session, item_id, now)
        if issued:
            counts[issued] += 1
    today = calendar(session).local_date(now)
    due = session.scalars(select(InspectionRound.id).where(InspectionRound.stage == Stage.rectifying)).all()
    end_read(session)
    for round_id in due:
        with write(session, SYSTEM):
            rnd = session.get(InspectionRound, round_id, with_for_update=True, populate_existing=True)
            if rnd is not None and report_due(rnd.stage, rnd.rectification_due, today):
                do_publish_report(session, SYSTEM, rnd, now=now)
                counts["rectification_reports"] += 1
    return counts
