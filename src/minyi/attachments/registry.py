"""Who may download an attachment is the owning slice's rule: each slice registers a check for its object type,
so this slice imports none of them. An object type nobody registered is downloadable by nobody."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor

MayRead = Callable[[Session, Actor, int], bool]
_OWNERS: dict[str, MayRead] = {}


def register_owner(object_type: str, may_read: MayRead) -> None:
    """Declare the rule that decides who may read the attachments of `object_type` (once per type)."""
    _OWNERS[object_type] = may_read


def may_read(session: Session, actor: Actor, object_type: str, object_id: int) -> bool:
    """Whether the owner's rule lets this actor read the attachments of that object (no rule: nobody)."""
    rule = _OWNERS.get(object_type)
    return rule is not None and rule(session, actor, object_id)
