"""Appending to a case's hash-chained history: the only way an event is written."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.cases.models import Case, CaseEvent
from minyi.db import table_of, utcnow
from minyi.hashchain import GENESIS, link_hash
from minyi.settings import get_settings
from minyi.uow import mark_audited


@lru_cache
def audit_key(secret: str | None = None) -> bytes:
    """The key of the audit chain, derived from the configured secret."""
    secret = secret if secret is not None else get_settings().secret_key
    return hashlib.sha256(b"minyi-audit|" + secret.encode()).digest()


def event_payload(
    *,
    case_id: int,
    seq: int,
    at: datetime,
    actor_id: int | None,
    actor_label: str,
    actor_role: str,
    action: str,
    from_status: str | None,
    to_status: str | None,
    note: str | None,
    data: dict[str, Any],
    public: bool,
) -> dict[str, Any]:
    """Exactly the fields the hash covers (microsecond UTC timestamps)."""
    return {
        "case_id": case_id,
        "seq": seq,
        "at": at.isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "actor_label": actor_label,
        "actor_role": actor_role,
        "action": action,
        "from_status": from_status,
        "to_status": to_status,
        "note": note,
        "data": data,
        "public": public,
    }


def payload_of(event: Any) -> dict[str, Any]:
    """The hashed payload of a stored event (an ORM object or a row with the same names)."""
    return event_payload(
        case_id=event.case_id,
        seq=event.seq,
        at=event.at,
        actor_id=event.actor_id,
        actor_label=event.actor_label,
        actor_role=event.actor_role,
        action=event.action,
        from_status=event.from_status,
        to_status=event.to_status,
        note=event.note,
        data=event.data or {},
        public=event.public,
    )


def next_event_values(
    case_id: int,
    event_count: int,
    last_hash: str,
    actor: Actor,
    action: str,
    from_status: str | None,
    to_status: str | None,
    *,
    note: str | None = None,
    data: dict[str, Any] | None = None,
    public: bool = True,
    at: datetime | None = None,
) -> dict[str, Any]:
    """Column values of the next event of a case, hash included (usable for bulk inserts)."""
    at = (at or utcnow()).astimezone(UTC)
    values = event_payload(
        case_id=case_id,
        seq=event_count + 1,
        at=at,
        actor_id=actor.user_id,
        actor_label=actor.label,
        actor_role=str(actor.role),
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=note,
        data=data or {},
        public=public,
    )
    prev = last_hash or GENESIS
    values["hash"] = link_hash(audit_key(), prev, values)
    values["prev_hash"] = prev
    values["at"] = at
    return values


def append_event(
    session: Session,
    case: Case,
    actor: Actor,
    action: str,
    from_status: str | None,
    to_status: str | None,
    *,
    note: str | None = None,
    data: dict[str, Any] | None = None,
    public: bool = True,
    at: datetime | None = None,
) -> CaseEvent:
    """Add the next event to the case's chain and move the case's head."""
    if case not in session:  # a detached case would lose its new head while the event is written
        raise RuntimeError(f"case {case.id} is not attached to this session")
    if case.id is None:
        session.flush()
    values = next_event_values(
        case.id, case.event_count or 0, case.last_event_hash, actor, action, from_status, to_status,
        note=note, data=data, public=public, at=at,
    )  # fmt: skip
    event = CaseEvent(**values)
    session.add(event)
    case.event_count = values["seq"]
    case.last_event_hash = values["hash"]
    mark_audited(session)
    _after_events(session, [values])
    return event


EventHook = Callable[[Session, Sequence[Mapping[str, Any]]], object]
_EVENT_HOOKS: list[EventHook] = []


def on_events(hook: EventHook) -> EventHook:
    """Register what must be written in the same unit of work as new case events (the notifications' outbox).

    Slices that react to events register here instead of the case slice importing them.
    """
    if hook not in _EVENT_HOOKS:
        _EVENT_HOOKS.append(hook)
    return hook


def _after_events(session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    for hook in _EVENT_HOOKS:
        hook(session, rows)


FRESH = (
    "minyi_fresh_rows"  # session.info: the rows of new cases and submitters, while their events' hooks run
)


def insert_events(
    session: Session,
    rows: list[dict[str, Any]],
    *,
    cases: Sequence[Mapping[str, Any]] = (),
    submitters: Sequence[Mapping[str, Any]] = (),
) -> None:
    """Bulk-insert events built with next_event_values (new cases, the sweep), and their notifications. `cases`
    and `submitters`: the rows just inserted with them, handed to the event hooks (`fresh_row`) so that they need
    not read back what was just written."""
    if rows:
        session.execute(insert(table_of(CaseEvent)), rows)
        session.info[FRESH] = ({c["id"]: c for c in cases}, {p["id"]: p for p in submitters})
        try:
            events_written(session, rows)
        finally:
            session.info.pop(FRESH, None)


FINAL = (
    "minyi_final_rows"  # session.info: new cases whose rows, as handed to the event hooks, are what commits
)


def rows_final(session: Session, ids: Sequence[int]) -> None:
    """Say, at the end of a unit of work that inserted these cases, that nothing else wrote to them since: the rows
    handed to the event hooks are what commits (the scoreboard's rollup counts them without reading them back)."""
    session.info.setdefault(FINAL, set()).update(ids)


def fresh_row(session: Session, kind: int, row_id: int | None) -> Mapping[str, Any] | None:
    """A case (`kind` 0) or submitter (1) row inserted with the events whose hooks run now, if it is one."""
    fresh = session.info.get(FRESH)
    return None if fresh is None or row_id is None else fresh[kind].get(row_id)


def events_written(session: Session, rows: Sequence[Mapping[str, Any]], *, imported: bool = False) -> None:
    """What follows events written by any bulk writer (COPY included): the audit mark and the event hooks.
    `imported`: every row is an event of a case an import inserted in this unit of work (`is_import`)."""
    if rows:
        mark_audited(session)
        if imported:
            session.info[IMPORTED] = True
        try:
            _after_events(session, rows)
        finally:
            session.info.pop(IMPORTED, None)


IMPORTED = "minyi_imported_events"  # session.info, while the hooks run on the events of an import's new cases


def is_import(session: Session) -> bool:
    """Whether the events the hooks are given now are an import's: cases inserted in this unit of work, with no
    history before it, from another system (whose steps happened there: nothing to tell their submitters)."""
    return bool(session.info.get(IMPORTED))
