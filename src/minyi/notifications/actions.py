"""Administrators' writes on the notification slice: one unit of work each, on the audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.accounts.models import User
from minyi.accounts.roles import Role
from minyi.db import utcnow
from minyi.errors import InvalidInput, NotFound, NotPermitted
from minyi.notifications.models import Notification, StaffContact
from minyi.notifications.schemas import StaffContactIn
from minyi.uow import write


def check_admin(actor: Actor) -> None:
    """Only administrators run the notification desk."""
    if actor.role != Role.admin:
        raise NotPermitted("仅管理员可操作", "administrators only")


def do_retry_notification(
    session: Session, actor: Actor, notification_id: int, *, now: datetime | None = None
) -> Notification:
    """Put a dead letter back in the queue (after the channel is fixed); the sender tries it again at once."""
    check_admin(actor)
    row = session.get(Notification, notification_id)
    if row is None or row.status != "dead":
        raise NotFound("通知", "dead-letter notification")
    with write(session, actor) as tx:
        row.status, row.attempts, row.next_attempt_at = "pending", 0, now or utcnow()
        tx.record(
            "notification.retry", "notification", row.id, {"channel": row.channel, "template": row.template}
        )
    return row


def do_set_staff_contact(
    session: Session, actor: Actor, user_id: int, contact: StaffContactIn
) -> StaffContact:
    """Set how a member of staff is told (their e-mail, phone or WeChat, preferred channel and language)."""
    check_admin(actor)
    if session.get(User, user_id) is None:
        raise InvalidInput("用户不存在", "unknown user", field="user_id")
    with write(session, actor) as tx:
        row = session.get(StaffContact, user_id) or StaffContact(user_id=user_id)
        for name, value in contact.model_dump().items():
            setattr(row, name, value)
        session.add(row)
        tx.record(
            "staff_contact.set",
            "user",
            user_id,
            {"notify_by": contact.notify_by, "language": contact.language},
        )
    return row
