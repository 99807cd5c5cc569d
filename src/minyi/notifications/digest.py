"""The daily digest: each department's staff hear what falls due in the next working days, their cases and the
suggestions and proposals they lead (`minyi notify digest`)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.accounts.actor import SYSTEM
from minyi.cases.models import Case
from minyi.cases.rules import TERMINAL
from minyi.db import utcnow
from minyi.deadlines.clock import calendar
from minyi.notifications.models import Notification
from minyi.notifications.outbox import outbox_row, staff_of, staff_person, write_rows
from minyi.settings import get_settings
from minyi.suggestions.models import Suggestion
from minyi.suggestions.rules import SuggestionStatus
from minyi.uow import end_read, write

WORKDAYS = 3
MAX_ITEMS = 20


def _rows(session: Session, prefix: str, template: str, by_dept: dict[int, list[str]], workdays: int,
          url: str) -> list[dict[str, Any]]:  # fmt: skip
    """One digest per member of staff of each department listed, unless today's was already written."""
    keys = {f"{prefix}:{d}" for d in by_dept}
    done = {(k, r) for k, r in session.execute(
        select(Notification.event_key, Notification.recipient).where(Notification.event_key.in_(keys)))}  # fmt: skip
    rows = []
    for dept_id, items in by_dept.items():
        key = f"{prefix}:{dept_id}"
        params = {
            "count": len(items),
            "workdays": workdays,
            "items": "\n".join(items[:MAX_ITEMS]),
            "url": url,
        }
        for user, contact in staff_of(session, [dept_id], dispatch=False):
            person = staff_person(user, contact)
            if (key, person.key) not in done:
                row = outbox_row(key, person, template, params, case_id=None, workbench=True)
                rows.append(row) if row else None
    return rows


def do_digest(session: Session, *, now: datetime | None = None, workdays: int = WORKDAYS) -> int:
    """Write today's digest for every department with open cases due within `workdays` working days; once a day
    (the key is the local date and the department), so running it twice adds nothing. Returns rows written."""
    now = now or utcnow()
    cal = calendar(session)
    today = cal.local_date(now)
    horizon = cal.deadline(now, workdays)
    due = session.execute(
        select(Case.id, Case.department_id, Case.due_at, Case.visibility)
        .where(Case.department_id.is_not(None), Case.due_at.is_not(None), Case.due_at <= horizon,
               Case.status.not_in([s.value for s in TERMINAL]))
        .order_by(Case.due_at)
    ).all()  # fmt: skip
    by_dept: dict[int, list[str]] = defaultdict(list)
    for r in due:  # case numbers and dates only: nothing that needs a clearance to read
        by_dept[int(r.department_id)].append(f"#{r.id} {cal.local_date(r.due_at).isoformat()}")
    items_due = session.execute(
        select(Suggestion.id, Suggestion.lead_unit_id, Suggestion.due_at)
        .where(Suggestion.lead_unit_id.is_not(None), Suggestion.due_at.is_not(None), Suggestion.due_at <= horizon,
               Suggestion.status.in_([SuggestionStatus.assigned, SuggestionStatus.disputed, SuggestionStatus.reanswering]))
        .order_by(Suggestion.due_at)
    ).all()  # fmt: skip
    by_unit: dict[int, list[str]] = defaultdict(list)
    for s in items_due:  # the lead unit answers; numbers and dates only
        by_unit[int(s.lead_unit_id)].append(f"#{s.id} {cal.local_date(s.due_at).isoformat()}")
    url = f"{get_settings().public_url}/staff"
    rows = _rows(session, f"digest:{today.isoformat()}", "digest", by_dept, workdays, url)
    rows += _rows(
        session, f"sdigest:{today.isoformat()}", "suggestion_due", by_unit, workdays, url + "/suggestions"
    )
    end_read(session)
    if not rows:
        return 0
    with write(session, SYSTEM, bookkeeping="the daily digest (the outbox rows are its record)"):
        return write_rows(session, rows)
