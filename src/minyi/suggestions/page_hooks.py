"""Panels other slices add to the staff page of one suggestion or proposal without this slice importing them: a
slice that knows more about an item (the organisations slice: the experts asked about it, and the form to ask one)
registers a panel here, from the module `minyi.models` imports (see docs/architecture.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor

# Given a member of staff who may see the item and its id, the panel's context (the template reads it as `panel`).
PanelReader = Callable[[Session, Actor, int], dict[str, Any]]
_PANELS: dict[str, PanelReader] = {}


def register_staff_panel(template: str, reader: PanelReader) -> None:
    """Declare a panel of the staff item page: its template and the reader of its content (once per slice)."""
    _PANELS[template] = reader


def staff_panels(session: Session, actor: Actor, suggestion_id: int) -> list[tuple[str, dict[str, Any]]]:
    """Every registered panel for this item (the caller has checked the actor may see it)."""
    return [(template, reader(session, actor, suggestion_id)) for template, reader in _PANELS.items()]
