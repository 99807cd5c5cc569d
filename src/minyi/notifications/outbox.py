"""Writing notifications into the outbox, inside the unit of work of the event that causes them.

`cases.events` calls `enqueue_for_events` for every event it writes (one at a time or in bulk), so no case action
has to remember to notify. Recipients and content follow the access rules: the submitter hears of their own case
only (with the tracking code, which goes to nobody else), staff of what their role lets them see.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

from sqlalchemy import insert, or_, select
from sqlalchemy.orm import Session

from minyi.access import DEPARTMENT, CaseFacts, may_see_case, needs_clearance
from minyi.accounts.actor import Actor
from minyi.accounts.models import User
from minyi.accounts.roles import Role
from minyi.cases.events import fresh_row, is_import, on_events
from minyi.cases.models import Case, CaseGrant, Submitter
from minyi.cases.tracking import display_code
from minyi.db import table_of, utcnow
from minyi.nlp.pii import redact
from minyi.notifications.channels import configured_channels
from minyi.notifications.models import Notification, StaffContact
from minyi.notifications.rules import (
    STAFF_STEPS,
    SUBMITTER_STEPS,
    Person,
    first_status,
    language_of,
    opted_in_channel,
    pick_channel,
    submitter_template,
)
from minyi.settings import get_settings
from minyi.uow import current_tx

QUIET = "minyi_notifications_quiet"
SEND_QUEUED = "minyi_notifications_send_queued"
DISPATCH_DESK = (Role.intake, Role.supervisor)  # who hears that a department returned a case
_SUBMITTER_ACTIONS = frozenset(action for action, _ in SUBMITTER_STEPS)
CASE_FIELDS = ("id", "tracking_code", "title", "visibility", "anonymous", "department_id", "submitter_id",
               "external_source")  # fmt: skip


@contextmanager
def quiet(session: Session) -> Iterator[None]:
    """Write events without notifying anyone (loading the demo city's invented history)."""
    session.info[QUIET] = True
    try:
        yield
    finally:
        session.info.pop(QUIET, None)


@on_events
def enqueue_for_events(session: Session, events: Sequence[Mapping[str, Any]]) -> int:
    """Add the outbox rows the given case events call for; returns how many were written."""
    if session.info.get(QUIET):
        return 0
    # an import's events: no submitter step (`submitter_template(imported=True)`), so its cases are not read
    submitter_steps = frozenset() if is_import(session) else _SUBMITTER_ACTIONS
    wanted = [e for e in events if e["action"] in STAFF_STEPS or e["action"] in submitter_steps]
    if not wanted:
        return 0
    ids = {e["case_id"] for e in wanted}
    cases: dict[int, Any] = {}
    for i in ids:  # cases inserted with these events: their rows are in memory
        row = fresh_row(session, 0, i)
        if row is not None:
            cases[i] = SimpleNamespace(**{k: row[k] for k in CASE_FIELDS})
    if ids - cases.keys():
        cases.update((r.id, r) for r in session.execute(
            select(*(getattr(Case, k) for k in CASE_FIELDS)).where(Case.id.in_(ids - cases.keys()))
        ))  # fmt: skip
    rows: list[dict[str, Any]] = []
    for ev in wanted:
        case = cases[ev["case_id"]]
        rows.extend(_for_submitter(session, ev, case))
        rows.extend(_for_staff(session, ev, case))
    return write_rows(session, rows)


def write_rows(session: Session, rows: list[dict[str, Any]]) -> int:
    """Insert outbox rows and wake the sender once the transaction commits."""
    if not rows:
        return 0
    session.execute(insert(table_of(Notification)), rows)
    tx = current_tx(session)
    if tx is not None and any(r["status"] == "pending" for r in rows):
        from minyi.notifications import jobs

        if jobs.uses_queue(session):
            if session.info.get(SEND_QUEUED) is not tx:  # one send job per transaction, in that transaction
                jobs.enqueue(session)
                session.info[SEND_QUEUED] = tx
        else:
            from minyi.notifications.worker import wake

            tx.after_commit(wake)
    return len(rows)


def outbox_row(
    event_key: str, person: Person, template: str, params: dict[str, Any], *, case_id: int | None,
    workbench: bool, opt_in: bool = False,
) -> dict[str, Any] | None:  # fmt: skip
    """One outbox row for one person, on the channel they chose (workbench when staff gave none).

    `opt_in`: a citizen, heard only on the channel they chose (never just because they left an address)."""
    picked = opted_in_channel(person) if opt_in else pick_channel(person)
    if picked is None and not workbench:
        return None  # a person who left no contact hears nothing (they follow the case by its code)
    channel, address = picked or ("workbench", None)
    now = utcnow()
    return {
        "event_key": event_key, "recipient": person.key, "user_id": person.user_id, "case_id": case_id,
        "channel": channel, "address": address, "language": language_of(person), "template": template,
        "params": params, "status": first_status(channel, configured_channels()), "attempts": 0,
        "next_attempt_at": now, "last_error": None, "created_at": now, "sent_at": None,
    }  # fmt: skip


def _key(ev: Mapping[str, Any]) -> str:
    return f"case:{ev['case_id']}:{ev['seq']}"


def _for_submitter(session: Session, ev: Mapping[str, Any], case: Any) -> list[dict[str, Any]]:
    template = submitter_template(
        ev["action"], ev["to_status"], sealed=needs_clearance(case.visibility),
        imported=case.external_source is not None,
    )  # fmt: skip
    if template is None or case.submitter_id is None:
        return []
    fresh = fresh_row(session, 1, case.submitter_id)
    who = SimpleNamespace(**fresh) if fresh is not None else session.get(Submitter, case.submitter_id)
    if who is None:
        return []
    person = Person(
        f"submitter:{who.id}", who.email, who.phone, who.wechat_openid, who.notify_by, who.language
    )
    code = display_code(case.tracking_code)
    url = f"{get_settings().public_url}/track"  # the code never travels in a URL (logs, referrers)
    params = {"code": code, "title": case.title[:60], "url": url}
    if template == "declined":
        params["reason"] = ev.get("note") or ""
    if template == "replied":
        params["reply"] = ev.get("note") or ""
    row = outbox_row(_key(ev), person, template, params, case_id=case.id, workbench=False, opt_in=True)
    return [row] if row else []


def _for_staff(session: Session, ev: Mapping[str, Any], case: Any) -> list[dict[str, Any]]:
    step = STAFF_STEPS.get(ev["action"])
    if step is None:
        return []
    template, who = step
    data = ev.get("data") or {}
    if who == "dispatch":
        department_ids: list[int] = []
    elif ev["action"] == "assign":
        department_ids = [int(data["department_id"]), *map(int, data.get("co") or [])]
    elif case.department_id is not None:
        department_ids = [case.department_id]
    else:
        return []
    sealed = needs_clearance(case.visibility)
    facts = CaseFacts(
        department_id=department_ids[0] if department_ids else None,
        co_handler_ids=frozenset(department_ids[1:]), visibility=case.visibility, anonymous=case.anonymous,
        granted_user_ids=frozenset(session.scalars(select(CaseGrant.user_id).where(CaseGrant.case_id == case.id)))
        if sealed else frozenset(),
    )  # fmt: skip
    params: dict[str, Any] = {
        "case_id": case.id, "title": None if sealed else redact(case.title)[:60],
        "url": f"{get_settings().public_url}/staff/cases/{case.id}",
    }  # fmt: skip
    if template == "returned":
        params["reason"] = None if sealed else redact(ev.get("note") or "")
    if template == "escalated":
        params["level"] = data.get("level")
    if template == "extension_decided":
        params["approved"], params["days"] = data.get("approved"), data.get("days")
    rows = []
    for user, contact in staff_of(session, department_ids, dispatch=who == "dispatch"):
        actor = Actor(
            Role(user.role), user.display_name, user.id, user.department_id, user.confidential_clearance
        )
        if not may_see_case(actor, facts):
            continue
        row = outbox_row(
            _key(ev), staff_person(user, contact), template, params, case_id=case.id, workbench=True
        )
        if row:
            rows.append(row)
    return rows


def staff_of(
    session: Session, department_ids: list[int], *, dispatch: bool
) -> list[tuple[User, StaffContact | None]]:
    """The active staff of these departments (handlers and heads), or the dispatch desk."""
    who = (
        User.role.in_([r.value for r in DISPATCH_DESK]) if dispatch
        else (User.role.in_([r.value for r in DEPARTMENT]) & User.department_id.in_(department_ids))
    )  # fmt: skip
    stmt = (
        select(User, StaffContact)
        .outerjoin(StaffContact, StaffContact.user_id == User.id)
        .where(User.active.is_(True), or_(who))
        .order_by(User.id)
    )
    return [(u, c) for u, c in session.execute(stmt).all()]


def staff_person(user: User, contact: StaffContact | None) -> Person:
    """A member of staff as a recipient: their contact if they gave one, else the workbench only."""
    if contact is None:
        return Person(f"user:{user.id}", user_id=user.id)
    return Person(f"user:{user.id}", contact.email, contact.phone, contact.wechat_openid, contact.notify_by,
                  contact.language, user_id=user.id)  # fmt: skip
