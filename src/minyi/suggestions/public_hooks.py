"""What other slices add to the published answers (答复公开) without this slice importing them: a slice that knows
more about an item (the organisations slice: the expert opinions its inviter published) registers a reader here,
from the module `minyi.models` imports, so suggestions never imports it (see docs/architecture.md)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.orm import Session

# Given the ids of the published items, the published expert opinions of each (redacted, ready for the page).
OpinionReader = Callable[[Session, Sequence[int]], dict[int, list[Any]]]
_OPINIONS: list[OpinionReader] = []


def register_opinions(reader: OpinionReader) -> None:
    """Declare a reader of the published opinions on suggestions (once per slice)."""
    if reader not in _OPINIONS:
        _OPINIONS.append(reader)


def published_opinions(session: Session, suggestion_ids: Sequence[int]) -> dict[int, list[Any]]:
    """The opinions every registered reader publishes on these items (none when no slice registered)."""
    out: dict[int, list[Any]] = {}
    if not suggestion_ids:
        return out
    for reader in _OPINIONS:
        for sid, rows in reader(session, suggestion_ids).items():
            out.setdefault(sid, []).extend(rows)
    return out
