"""A person's own say over what they are sent: the citizen's opt-in (on the tracking page) and the signed
unsubscribe link that every message carries (`sender` adds it as each message goes out)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.orm import Session

from minyi.access import may_act_as_citizen
from minyi.accounts.actor import CITIZEN, Actor
from minyi.accounts.roles import Role
from minyi.cases.models import Submitter
from minyi.cases.queries import access_case_by_tracking_code
from minyi.db import utcnow
from minyi.errors import Forbidden, InvalidInput, NotFound
from minyi.notifications.models import Notification, StaffContact, Subscription
from minyi.notifications.rules import UNSUBSCRIBE_SECONDS, mask_address
from minyi.settings import get_settings
from minyi.uow import end_read, write
from minyi.web.signing import sign, unsign

PURPOSE = "unsubscribe"
WAITING = ("pending", "unconfigured")


def unsubscribe_url(recipient: str) -> str:
    """The link that stops messages to `recipient` (submitter:<id>, user:<id>, sub:<id>), signed so that nobody
    can stop someone else's; it names no case and no code."""
    token = sign(PURPOSE, recipient, UNSUBSCRIBE_SECONDS)
    return f"{get_settings().public_url}/notify/unsubscribe?t={token}"


def recipient_of(token: str | None) -> str:
    """The recipient a link was made for, or the same 404 for a forged, expired or malformed one."""
    key = unsign(PURPOSE, token)
    if not isinstance(key, str) or key.partition(":")[0] not in (
        "submitter",
        "user",
        "sub",
        "invitee",
        "contact",
    ):
        raise NotFound("退订链接", "unsubscribe link")
    if not key.partition(":")[2].isdigit():
        raise NotFound("退订链接", "unsubscribe link")
    return key


def _cancel_waiting(session: Session, recipient: str) -> None:
    session.execute(
        update(Notification)
        .where(Notification.recipient == recipient, Notification.status.in_(WAITING),
               Notification.channel != "workbench")
        .values(status="cancelled")
    )  # fmt: skip


def do_unsubscribe(session: Session, token: str | None) -> str:
    """Stop every further message to the link's recipient (what waits to be sent is cancelled); returns the kind.

    A citizen's choice goes back to "no notifications"; a member of staff keeps only the workbench; a
    subscription ends. Running it twice changes nothing more."""
    key = recipient_of(token)
    kind, _, raw = key.partition(":")
    rid = int(raw)
    actor = Actor(Role.citizen, "unsubscribe link", rid if kind == "user" else None)
    with write(session, actor) as tx:
        if kind == "submitter" and (who := session.get(Submitter, rid)) is not None:
            who.notify_by = None
        elif kind == "user" and (contact := session.get(StaffContact, rid)) is not None:
            contact.email = contact.phone = contact.wechat_openid = contact.notify_by = None
        elif kind == "sub" and (sub := session.get(Subscription, rid)) is not None and sub.ended_at is None:
            sub.ended_at = utcnow()
        _cancel_waiting(session, key)
        tx.record("notify.unsubscribe", kind, rid, {})
    return kind


@dataclass(frozen=True)
class NotifyChoice:
    """What the tracking page offers: the channels whose address the citizen left (masked) and the current one."""

    current: str
    options: list[tuple[str, str]]  # (channel, masked address)


def notify_choice(session: Session, code: str) -> NotifyChoice:
    """The citizen's current choice and the channels they may choose from."""
    case = access_case_by_tracking_code(session, code)
    who = session.get(Submitter, case.submitter_id) if case.submitter_id else None
    end_read(session)
    if who is None:
        return NotifyChoice("", [])
    given = {"email": who.email, "sms": who.phone, "wechat": who.wechat_openid}
    options = [(channel, mask_address(channel, address)) for channel, address in given.items() if address]
    return NotifyChoice(who.notify_by or "", options)


def do_choose_notify(session: Session, code: str, notify_by: str, *, staff_credentials: bool) -> None:
    """The citizen opts in (or out): notify by this channel from now on, or ("") not at all."""
    if not may_act_as_citizen(CITIZEN, staff_credentials=staff_credentials):
        raise Forbidden(
            "工作人员不能代替群众设置通知", "staff may not choose notifications in the citizen's place"
        )
    case = access_case_by_tracking_code(session, code)
    who = session.get(Submitter, case.submitter_id) if case.submitter_id else None
    given = {"email": who.email, "sms": who.phone, "wechat": who.wechat_openid} if who else {}
    if who is None or (notify_by and not given.get(notify_by)):
        raise InvalidInput("只能选择您留下了联系方式的通知渠道", "choose a channel whose address you gave",
                           field="notify_by")  # fmt: skip
    with write(session, CITIZEN) as tx:
        who.notify_by = notify_by or None
        if not notify_by:
            _cancel_waiting(session, f"submitter:{who.id}")
        tx.record("notify.choose", "submitter", who.id, {"notify_by": notify_by or None})
