"""Appending to an item's hash-chained record (the same keyed chain and payload as a case's events)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.audit.chain import ChainProblem, verify_chain
from minyi.cases.events import audit_key, event_payload, next_event_values
from minyi.suggestions.models import Suggestion, SuggestionEvent
from minyi.uow import mark_audited


def append_suggestion_event(
    session: Session,
    item: Suggestion,
    actor: Actor,
    action: str,
    from_status: str | None,
    to_status: str | None,
    *,
    note: str | None = None,
    data: dict[str, Any] | None = None,
) -> SuggestionEvent:
    """Add the next event to the item's chain and move its head (the write's audit entry)."""
    if item.id is None:
        session.flush()
    values = next_event_values(
        item.id, item.event_count or 0, item.last_event_hash, actor, action, from_status, to_status,
        note=note, data=data, public=False,
    )  # fmt: skip
    values["suggestion_id"] = values.pop("case_id")
    values.pop("public")
    event = SuggestionEvent(**values)
    session.add(event)
    item.event_count = values["seq"]
    item.last_event_hash = values["hash"]
    item.version = (item.version or 0) + 1
    item.updated_at = values["at"]
    mark_audited(session)
    return event


def verify_suggestion(session: Session, item: Suggestion) -> list[ChainProblem]:
    """Check the item's record against its head: an edited, inserted or deleted event is found."""
    events = session.scalars(
        select(SuggestionEvent).where(SuggestionEvent.suggestion_id == item.id).order_by(SuggestionEvent.seq)
    ).all()
    rows = [
        (e.seq, e.prev_hash, e.hash, event_payload(
            case_id=e.suggestion_id, seq=e.seq, at=e.at, actor_id=e.actor_id, actor_label=e.actor_label,
            actor_role=e.actor_role, action=e.action, from_status=e.from_status, to_status=e.to_status,
            note=e.note, data=e.data or {}, public=False))
        for e in events
    ]  # fmt: skip
    return verify_chain(audit_key(), item.id, rows, item.event_count, item.last_event_hash)
