"""Notifications of supervision, written in the unit of work of what causes them: rectification items (the
responsible unit's staff: assigned, deadline near or passed, rejected) and sealed reports (the inspectors who may
see them: a new report, a reply from the reporter).

A sealed report's notice says only that something awaits the inspector, with a link to the list: no content, no
receipt, no identity, not even the report's number. The slices publish on the audit record (`uow.on_record`);
they never import this one.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from minyi.access import DISCIPLINE, may_see_report
from minyi.accounts.actor import Actor
from minyi.accounts.models import User
from minyi.accounts.roles import Role
from minyi.inspection.models import RectificationItem, RectificationProgress
from minyi.notifications.models import StaffContact
from minyi.notifications.outbox import QUIET, outbox_row, staff_of, staff_person, write_rows
from minyi.reports.models import MisconductReport, ReportMessage
from minyi.settings import get_settings
from minyi.uow import on_record
from minyi.web.signing import keyed_digest

# audit action -> the template the responsible unit's staff receive
ITEM_TEMPLATES = {
    "inspection.item_added": "rectification_assigned",
    "inspection.item_reminder": "rectification_due",
    "inspection.item_overdue": "rectification_overdue",
    "inspection.item_decided": "rectification_rejected",  # when the team did not accept it
}
REPORT_TEMPLATES = {"report.submitted": "report_new", "report.reporter_message": "report_reply"}


@on_record
def enqueue_for_supervision(
    session: Session, action: str, object_id: str | int | None, data: dict[str, Any]
) -> int:
    """Rectification items: the responsible unit's staff; sealed reports: the inspectors who may see them."""
    if session.info.get(QUIET):
        return 0
    if action in REPORT_TEMPLATES:
        return write_rows(session, _report_rows(session, action, object_id))
    if action == "inspection.findings":  # the whole list handed out at once: each item to its unit
        return write_rows(
            session, _item_rows(session, "inspection.item_added", [int(i) for i in data["items"]])
        )
    if action not in ITEM_TEMPLATES or (action == "inspection.item_decided" and data.get("accept")):
        return 0
    return write_rows(session, _item_rows(session, action, [int(data["item_id"])]))


def _item_rows(session: Session, action: str, item_ids: list[int]) -> list[dict[str, Any]]:
    template, base = ITEM_TEMPLATES[action], get_settings().public_url
    rows: list[dict[str, Any]] = []
    for item in session.scalars(select(RectificationItem).where(RectificationItem.id.in_(item_ids))):
        params = {"item_id": item.id, "number": item.number, "due": item.due_on.isoformat(), "post": item.post,
                  "url": f"{base}/staff/inspections/{item.round_id}"}  # fmt: skip
        key = f"rectification:{item.id}:{template}"
        if template == "rectification_rejected":  # each rejection answers one more report of progress
            key += f":{_count(session, RectificationProgress.item_id == item.id)}"
        for user, contact in staff_of(session, [item.unit_id], dispatch=False):
            row = outbox_row(key, staff_person(user, contact), template, params, case_id=None, workbench=True)
            rows.append(row) if row else None
    return rows


def _count(session: Session, where: ColumnElement[bool]) -> int:
    return int(session.scalar(select(func.count()).where(where)) or 0)


def _report_rows(session: Session, action: str, object_id: str | int | None) -> list[dict[str, Any]]:
    report = session.get(MisconductReport, int(object_id)) if object_id is not None else None
    if report is None:
        return []
    people = session.execute(
        select(User, StaffContact).outerjoin(StaffContact, StaffContact.user_id == User.id)
        .where(User.active.is_(True), User.role.in_([r.value for r in DISCIPLINE])).order_by(User.id)
    ).all()  # fmt: skip
    template = REPORT_TEMPLATES[action]
    params = {"url": f"{get_settings().public_url}/staff/reports"}  # the list: not even the report's number
    key = f"report:{report.id}:{template}"
    if template == "report_reply":
        key += f":{_count(session, ReportMessage.report_id == report.id)}"
    key = "report:" + keyed_digest("outbox-report", key)[:40]  # the outbox must not tell whose notice this is
    rows = []
    for user, contact in people:
        actor = Actor(Role(user.role), user.display_name, user.id, user.department_id)
        if may_see_report(actor, report.department_id):
            row = outbox_row(key, staff_person(user, contact), template, params, case_id=None, workbench=True)
            rows.append(row) if row else None
    return rows
