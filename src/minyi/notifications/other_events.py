"""Notifications beyond cases, written in the unit of work of what causes them: suggestions and proposals (the
units that answer; the proposer who asked to hear), consultations (those who asked to hear), alerts (supervisors).

The slices publish (`suggestions.events.on_suggestion_event`, `uow.on_record`); they never import this one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.access import OVERSIGHT
from minyi.accounts.models import User
from minyi.cases.models import AlertRow
from minyi.consultation.invitations import InvitationSent, on_invitation
from minyi.consultation.models import Consultation
from minyi.deadlines.workcal import CHINA
from minyi.departments.models import Department
from minyi.nlp.pii import redact
from minyi.notifications.models import StaffContact
from minyi.notifications.outbox import QUIET, outbox_row, staff_of, staff_person, write_rows
from minyi.notifications.rules import Person
from minyi.notifications.subscriptions import subscriber_rows
from minyi.settings import get_settings
from minyi.suggestions.events import on_suggestion_event
from minyi.suggestions.models import Suggestion
from minyi.uow import on_record

GIVEN = ("assign", "decide_dispute")  # the steps that give an item to a lead unit (and co-operating units)
ROLE_WORDS = {"lead": ("主办", "lead unit"), "co": ("协办", "co-operating unit")}
INVITED_AS = {"expert": ("专家", "an expert"), "deputy": ("人大代表", "a deputy to the people's congress")}


def _date(value: Any) -> str:
    return value.astimezone(CHINA).date().isoformat() if value is not None else ""


@on_suggestion_event
def enqueue_for_suggestion(session: Session, ev: Mapping[str, Any]) -> int:
    """Assigned: the units' staff and the proposer; answered: the proposer."""
    action, data = ev["action"], ev.get("data") or {}
    if session.info.get(QUIET) or not (action == "answer" or (action in GIVEN and data.get("lead_unit_id"))):
        return 0
    item = session.get(Suggestion, ev["suggestion_id"])
    if item is None:
        return 0
    key, base = f"suggestion:{item.id}:{ev['seq']}", get_settings().public_url
    mine = {"subject": item.subject[:60], "url": f"{base}/suggestions/mine", "due": _date(item.due_at)}
    rows: list[dict[str, Any] | None] = []
    if action == "answer":
        rows += subscriber_rows(session, f"proposer:{item.proposer_id}", key, "suggestion_answered", mine)
        return write_rows(session, [r for r in rows if r])
    lead = int(data["lead_unit_id"])
    units = [(lead, "lead"), *((int(c), "co") for c in data.get("co") or [])]
    for dept_id, role in units:
        params = {"subject": redact(item.subject)[:60], "due": _date(item.due_at),
                  "role_zh": ROLE_WORDS[role][0], "role_en": ROLE_WORDS[role][1],
                  "url": f"{base}/staff/suggestions/{item.id}"}  # fmt: skip
        rows += [outbox_row(key, staff_person(u, c), "suggestion_assigned", params, case_id=None, workbench=True)
                 for u, c in staff_of(session, [dept_id], dispatch=False)]  # fmt: skip
    unit = session.get(Department, lead)
    mine["unit"] = unit.name if unit else ""
    rows += subscriber_rows(
        session, f"proposer:{item.proposer_id}", key, "suggestion_assigned_proposer", mine
    )
    return write_rows(session, [r for r in rows if r])


@on_record
def enqueue_for_record(
    session: Session, action: str, object_id: str | int | None, data: dict[str, Any]
) -> int:
    """A consultation opened or its feedback report out: who asked to hear; new alerts: the supervisors."""
    if session.info.get(QUIET):
        return 0
    base = get_settings().public_url
    if action in ("consultation_open", "consultation_publish_report") and object_id is not None:
        c = session.get(Consultation, int(object_id))
        if c is None:
            return 0
        params = {"title": c.title[:80], "closes": _date(c.closes_at), "url": f"{base}/consultations/{c.id}"}
        if action == "consultation_open":
            rows = subscriber_rows(session, "consultations", f"consultation:{c.id}:open", "consultation_opened",
                                   params)  # fmt: skip
        else:
            params["url"] += "/report"
            rows = subscriber_rows(session, f"consultation:{c.id}", f"consultation:{c.id}:report",
                                   "consultation_answered", params)  # fmt: skip
        return write_rows(session, rows)
    if action == "alert.detect" and data.get("new"):
        return write_rows(session, _alert_rows(session, list(data["new"])))
    return 0


def _alert_rows(session: Session, keys: list[str]) -> list[dict[str, Any]]:
    """Each new alert to each supervisor and administrator (its name and counts: no confidential case in it)."""
    alerts = session.scalars(select(AlertRow).where(AlertRow.key.in_(keys)).order_by(AlertRow.id)).all()
    people = session.execute(
        select(User, StaffContact).outerjoin(StaffContact, StaffContact.user_id == User.id)
        .where(User.active.is_(True), User.role.in_([r.value for r in OVERSIGHT])).order_by(User.id)
    ).all()  # fmt: skip
    url = f"{get_settings().public_url}/staff/board#alerts"
    rows = []
    for a in alerts:
        params = {
            "series": redact(a.series)[:80],
            "count": a.count,
            "expected": round(float(a.expected), 1),
            "url": url,
        }
        for user, contact in people:
            row = outbox_row(f"alert:{a.id}", staff_person(user, contact), "alert", params, case_id=None,
                             workbench=True)  # fmt: skip
            rows.append(row) if row else None
    return rows


@on_invitation
def enqueue_for_invitation(session: Session, inv: InvitationSent) -> int:
    """The invited expert or deputy: the message with the link to their form, on the address the organiser gave."""
    if session.info.get(QUIET):
        return 0
    words = INVITED_AS.get(inv.role, INVITED_AS["expert"])
    params = {"title": inv.title[:80], "name": inv.name[:100], "role_zh": words[0], "role_en": words[1],
              "invitation": inv.link}  # fmt: skip
    person = Person(f"invitee:{inv.opinion_id}", inv.email, inv.phone)
    row = outbox_row(f"consultation:{inv.consultation_id}:invite:{inv.opinion_id}", person,
                     "consultation_invited", params, case_id=None, workbench=False)  # fmt: skip
    return write_rows(session, [row] if row else [])
