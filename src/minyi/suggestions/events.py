"""Appending to an item's hash-chained record (the same keyed chain and payload as a case's events)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from itertools import groupby
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.cases.events import audit_key, event_payload, next_event_values
from minyi.hashchain import ChainProblem, verify_chain
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
    for hook in _EVENT_HOOKS:
        hook(session, values)
    return event


SuggestionHook = Callable[[Session, Mapping[str, Any]], object]
_EVENT_HOOKS: list[SuggestionHook] = []


def on_suggestion_event(hook: SuggestionHook) -> SuggestionHook:
    """Register what must be written in the same unit of work as an item's new event (the notifications'
    outbox), so this slice does not import the ones that react."""
    if hook not in _EVENT_HOOKS:
        _EVENT_HOOKS.append(hook)
    return hook


def _payload(e: SuggestionEvent) -> dict[str, Any]:
    return event_payload(
        case_id=e.suggestion_id, seq=e.seq, at=e.at, actor_id=e.actor_id, actor_label=e.actor_label,
        actor_role=e.actor_role, action=e.action, from_status=e.from_status, to_status=e.to_status, note=e.note,
        data=e.data or {}, public=False,
    )  # fmt: skip


def verify_suggestion(session: Session, item: Suggestion) -> list[ChainProblem]:
    """Check the item's record against its head: an edited, inserted or deleted event is found."""
    events = session.scalars(
        select(SuggestionEvent).where(SuggestionEvent.suggestion_id == item.id).order_by(SuggestionEvent.seq)
    ).all()
    rows = [(e.seq, e.prev_hash, e.hash, _payload(e)) for e in events]
    return verify_chain(audit_key(), item.id, rows, item.event_count, item.last_event_hash)


def verify_suggestions(session: Session) -> Iterator[ChainProblem]:
    """Every item's chain, read in one pass ordered by item and position (for `minyi audit verify`)."""
    heads = dict(session.execute(select(Suggestion.id, Suggestion.event_count)).all())
    hashes = dict(session.execute(select(Suggestion.id, Suggestion.last_event_hash)).all())
    stmt = select(SuggestionEvent).order_by(SuggestionEvent.suggestion_id, SuggestionEvent.seq)
    events = session.scalars(stmt.execution_options(yield_per=1000))
    for sid, group in groupby(events, key=lambda e: e.suggestion_id):
        rows = [(e.seq, e.prev_hash, e.hash, _payload(e)) for e in group]
        yield from verify_chain(audit_key(), sid, rows, heads.pop(sid, 0), hashes.get(sid, ""))
    for sid, count in heads.items():  # items whose events were all deleted
        yield from verify_chain(audit_key(), sid, [], count, hashes.get(sid, ""))
