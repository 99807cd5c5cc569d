"""Re-derive a case's state columns from its events, to catch a row edited behind the record's back. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

# closed_at is set exactly when a case ends in one of these (merged cases follow their master instead)
ENDED = frozenset({"closed", "declined", "withdrawn"})
# steps that leave the case's version alone: registration, access grants, the sweep's escalations and the
# understanding worker's results, a citizen's attached files (a new kind of event that does not bump the version must
# be added here)
UNVERSIONED = frozenset({"register", "grant", "escalate", "understand", "attach"})


def derive_state(events: Iterable[Mapping[Any, Any]]) -> dict[str, Any]:
    """The state columns a case must hold after these events (each with action, to_status, note, data)."""
    state: dict[str, Any] = {
        "status": None, "version": 1, "event_count": 0, "round": 1,
        "evaluation": None, "evaluation_comment": None, "reply_text": None,
    }  # fmt: skip
    for ev in events:
        data = ev.get("data") or {}
        state["event_count"] += 1
        if ev["to_status"] is not None:
            state["status"] = ev["to_status"]
        if ev["action"] not in UNVERSIONED and not data.get("imported"):
            state["version"] += 1
        if ev["action"] == "reply":
            state["reply_text"] = ev["note"]
        elif ev["action"] == "evaluate":
            state["evaluation"], state["evaluation_comment"] = data.get("evaluation"), ev["note"]
            if ev["to_status"] == "rehandling":
                state["round"] += 1
    state["closed"] = state["status"] in ENDED
    return state


def state_differences(row: Mapping[Any, Any], events: Iterable[Mapping[Any, Any]]) -> list[str]:
    """Each column of the case row that its events contradict, as 'column: row says X, events say Y'."""
    derived = derive_state(events)
    actual = {key: row[key] for key in derived if key != "closed"}
    actual["closed"] = row["closed_at"] is not None
    return [
        f"{key}: the case row says {actual[key]!r}, its events say {derived[key]!r}"
        for key in derived
        if actual[key] != derived[key]
    ]
