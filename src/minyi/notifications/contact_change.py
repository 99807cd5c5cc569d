"""A citizen's new contact address (given on the tracking page) is used only once its owner confirms it.

Every message to a submitter carries the tracking code and the reply. An address typed on the tracking page (a
typo, a stranger's, or that of someone who once saw the code, on a shared computer say) was used at once, and the
old one replaced without a word: the case's key and its answer went to whoever typed it, and the citizen heard
nothing more. Now the page sends one message to the new address, with a link (signed, valid two days, naming no
case and no code), and nothing changes until its owner opens it and confirms. Only the newest link asked for a
case holds, so an old link cannot undo a later change. Once changed, the address it replaces, and the one the
citizen was told at until then (on whatever channel), are told where news goes now (masked), so a citizen whose
address was changed behind their back learns of it and can give it again with their code."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from minyi.access import may_act_as_citizen
from minyi.accounts.actor import CITIZEN
from minyi.cases.models import Case, Submitter
from minyi.cases.queries import access_case_by_tracking_code
from minyi.db import utcnow
from minyi.errors import Forbidden, NotFound
from minyi.notifications.models import Notification
from minyi.notifications.outbox import outbox_row, write_rows
from minyi.notifications.rules import Person, mask_address
from minyi.notifications.subscriptions import FollowIn
from minyi.settings import get_settings
from minyi.uow import end_read, write
from minyi.web.signing import keyed_digest, sign, unsign

CONFIRM, CONFIRM_SECONDS = "contact-confirm", 2 * 24 * 3600


def _on(channel: str, address: str | None, language: str | None, key: str) -> Person:
    field = _FIELD[channel]
    return Person(key, email=address if field == "email" else None, phone=address if field == "phone" else None,
                  wechat_openid=address if field == "wechat_openid" else None, notify_by=channel,
                  language=language)  # fmt: skip


_FIELD = {"email": "email", "sms": "phone", "wechat": "wechat_openid"}


def do_ask_contact(session: Session, code: str, body: FollowIn, *, staff_credentials: bool) -> None:
    """The citizen asks to be told at a new e-mail address or mobile number: that address gets one message with
    a confirmation link, and nothing else changes. On the record without the address."""
    if not may_act_as_citizen(CITIZEN, staff_credentials=staff_credentials):
        raise Forbidden(
            "工作人员不能代替群众填写联系方式", "staff may not give contact details in the citizen's place"
        )
    case_id = access_case_by_tracking_code(session, code).id
    end_read(session)
    key = f"contact:{case_id}:{keyed_digest('contact-ask', body.address)[:16]}:{utcnow().timestamp():.6f}"
    value = {"c": case_id, "ch": body.channel, "a": body.address, "l": body.language, "k": key}
    link = f"{get_settings().public_url}/track/contact/confirm?t={sign(CONFIRM, value, CONFIRM_SECONDS)}"
    with write(session, CITIZEN) as tx:
        person = _on(body.channel, body.address, body.language, f"contact:{case_id}")
        row = outbox_row(key, person, "confirm_contact", {"confirm": link}, case_id=case_id, workbench=False,
                         opt_in=True)  # fmt: skip
        write_rows(session, [row] if row else [])
        tx.record("notify.contact_asked", "case", case_id, {"channel": body.channel})


def asked_contact(session: Session, token: str | None) -> tuple[Case, FollowIn]:
    """The case and the new contact a confirmation link is for; a forged or expired link, or one asked before
    the case's newest, looks missing. Reads only."""
    value = unsign(CONFIRM, token)
    case = (
        session.get(Case, value["c"]) if isinstance(value, dict) and isinstance(value.get("c"), int) else None
    )
    newest = session.scalar(_NEWEST, {"case_id": case.id}) if case is not None else None
    end_read(session)
    if case is None or not isinstance(value, dict) or newest is None or newest != value.get("k"):
        raise NotFound("确认链接", "confirmation link")
    return case, FollowIn(channel=value["ch"], address=value["a"], language=value["l"])


_NEWEST = (
    select(Notification.event_key)
    .where(Notification.case_id == bindparam("case_id"), Notification.template == "confirm_contact")
    .order_by(Notification.id.desc())
    .limit(1)
)


def do_confirm_contact(session: Session, token: str | None) -> None:
    """The new address's owner confirms: the case's submitter is told there from now on, and the address it
    replaces (if any) is told of the change. Confirming twice changes nothing more."""
    case, body = asked_contact(session, token)
    with write(session, CITIZEN) as tx:
        case = session.get(Case, case.id, with_for_update=True) or case
        who = session.get(Submitter, case.submitter_id) if case.submitter_id else None
        if who is None:  # nothing was left at submission: the case gets a contact of its own
            who = Submitter(created_at=utcnow())
            session.add(who)
            session.flush()
            case.submitter_id = who.id
        # the address replaced on this channel, and the one the citizen was told at until now (if another)
        before: set[tuple[str, str | None]] = {(body.channel, getattr(who, _FIELD[body.channel]))}
        if who.notify_by in _FIELD:
            before.add((who.notify_by, getattr(who, _FIELD[who.notify_by])))
        setattr(who, _FIELD[body.channel], body.address)
        who.notify_by, who.language = body.channel, body.language
        tx.record("notify.contact", "submitter", who.id, {"channel": body.channel})
        for channel, old in sorted(before - {(body.channel, body.address)}, key=str):
            if old:
                _tell_replaced(session, who, body, channel, old)


def _tell_replaced(session: Session, who: Submitter, body: FollowIn, channel: str, old: str) -> None:
    """The address the citizen was told at hears (masked) where their news goes now."""
    params: dict[str, Any] = {"masked": mask_address(body.channel, body.address),
                              "url": f"{get_settings().public_url}/track"}  # fmt: skip
    key = f"contact-changed:{who.id}:{keyed_digest('contact-ask', body.address)[:16]}:{utcnow().timestamp():.6f}"
    person = _on(channel, old, who.language, f"submitter:{who.id}")
    row = outbox_row(key, person, "contact_changed", params, case_id=None, workbench=False, opt_in=True)
    write_rows(session, [row] if row else [])
