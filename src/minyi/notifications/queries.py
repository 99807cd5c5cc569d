"""What the workbench shows of the outbox: one's own notifications, the sending state, the dead letters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.access import OVERSIGHT
from minyi.accounts.actor import Actor
from minyi.notifications.content import render, without_code
from minyi.notifications.models import Notification
from minyi.notifications.rules import mask_address
from minyi.uow import end_read

LIMIT = 100


@dataclass(frozen=True)
class NotificationView:
    """One notification as staff see it: the address masked and a citizen's tracking code never shown."""

    id: int
    to_citizen: bool
    channel: str
    address: str
    status: str
    subject: str
    body: str
    attempts: int
    last_error: str | None
    created_at: datetime
    case_id: int | None


def view_of(row: Notification) -> NotificationView:
    params = dict(row.params or {})
    for secret in ("confirm", "invitation"):  # a subscriber's confirmation, an invitee's link: theirs alone
        if secret in params:
            params[secret] = "••••••"
    subject, body = render(row.template, params, row.language)
    return NotificationView(
        row.id, not row.recipient.startswith("user:"), row.channel, mask_address(row.channel, row.address),
        row.status, without_code(subject, params), without_code(body, params), row.attempts, row.last_error,
        row.created_at, row.case_id,
    )  # fmt: skip


def notifications_page(session: Session, actor: Actor) -> dict[str, list[NotificationView]]:
    """Mine for every member of staff; the outbox and the dead letters for supervisors and administrators."""
    newest = (Notification.created_at.desc(), Notification.id.desc())
    out = {"mine": [view_of(r) for r in session.scalars(
        select(Notification).where(Notification.user_id == actor.user_id).order_by(*newest).limit(LIMIT))]}  # fmt: skip
    if actor.role in OVERSIGHT:
        out["outbox"] = [
            view_of(r) for r in session.scalars(select(Notification).order_by(*newest).limit(LIMIT))
        ]
        out["dead"] = [view_of(r) for r in session.scalars(
            select(Notification).where(Notification.status == "dead").order_by(*newest).limit(LIMIT))]  # fmt: skip
    end_read(session)
    return out
