"""An invitation on its way to the invited expert or deputy: this slice publishes it, and whoever sends messages
(the notifications slice registers itself here) writes the message with the link, in the invitation's own unit
of work. This slice never imports the notifications slice; the contact is passed on, never kept here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class InvitationSent:
    """Who is invited to what, how to reach them, and the link that opens their form."""

    consultation_id: int
    opinion_id: int
    title: str
    role: str  # expert | deputy
    name: str
    email: str | None
    phone: str | None
    link: str


Listener = Callable[[Session, InvitationSent], object]
_LISTENERS: dict[str, Listener] = {}


def on_invitation(fn: Listener) -> Listener:
    """Register `fn(session, invitation)` (by its qualified name, so a reloaded module does not add it twice)."""
    _LISTENERS[f"{fn.__module__}.{fn.__qualname__}"] = fn
    return fn


def publish(session: Session, invitation: InvitationSent) -> None:
    """Tell every listener, inside the caller's unit of work."""
    for listener in list(_LISTENERS.values()):
        listener(session, invitation)
