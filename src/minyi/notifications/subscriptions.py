"""Subscriptions: a person asks to hear of a topic (new consultations, one consultation's feedback report, their own
suggestions), confirms by the link sent to that address (double opt-in: nobody can sign up someone else), and
hears until they unsubscribe by the link every message carries."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, TypeAdapter, ValidationError, model_validator
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minyi.accounts.actor import CITIZEN
from minyi.db import utcnow
from minyi.errors import InvalidInput, NotFound
from minyi.notifications.models import Subscription
from minyi.notifications.outbox import outbox_row, write_rows
from minyi.notifications.rules import Person, topic_words
from minyi.settings import get_settings
from minyi.uow import end_read, write
from minyi.web.signing import followed_topic, sign, unsign

CONFIRM, CONFIRM_SECONDS = "follow-confirm", 7 * 24 * 3600
PHONE = r"^[0-9+\-() ]{5,40}$"
MAX_UNCONFIRMED = 3  # unconfirmed subscriptions one address may have (each sent one confirmation)


class FollowIn(BaseModel):
    """Where to be told: an e-mail address or a mobile number, and in which language."""

    model_config = ConfigDict(extra="forbid")

    channel: Literal["email", "sms"]
    address: str = Field(min_length=3, max_length=200)
    language: Literal["zh", "en"] = "zh"

    @model_validator(mode="after")
    def _address_fits(self) -> FollowIn:
        if self.channel == "email":
            self.address = str(TypeAdapter(EmailStr).validate_python(self.address.strip()))
        elif re.fullmatch(PHONE, self.address) is None:
            raise ValueError("not a phone number")
        return self


def follow_in(channel: str, address: str, language: str) -> FollowIn:
    """The form's values checked, or a clear error next to the address field."""
    try:
        return FollowIn.model_validate({"channel": channel, "address": address, "language": language or "zh"})
    except ValidationError as exc:
        raise InvalidInput("请填写有效的电子邮箱或手机号码", "give a valid e-mail address or mobile number",
                           field="address") from exc  # fmt: skip


def topic_of(token: str | None) -> str:
    """The topic a follow form was made for; a forged, expired or unknown one looks missing."""
    topic = followed_topic(token)
    if topic is None or topic_words(topic) is None:
        raise NotFound("订阅", "subscription form")
    return topic


def person_of(sub: Subscription) -> Person:
    """A subscriber as a recipient, on the one channel they subscribed with."""
    return Person(f"sub:{sub.id}", email=sub.address if sub.channel == "email" else None,
                  phone=sub.address if sub.channel == "sms" else None, notify_by=sub.channel,
                  language=sub.language)  # fmt: skip


def do_follow(session: Session, token: str | None, body: FollowIn) -> None:
    """Ask to hear of the form's topic: the address gets one message asking to confirm. A subscription already
    confirmed or awaiting confirmation gets nothing more, and an address with MAX_UNCONFIRMED unanswered ones
    gets no new one, so the form cannot be used to flood an address."""
    topic = topic_of(token)
    zh, en = topic_words(topic) or ("", "")
    existing = session.scalar(select(Subscription).where(Subscription.topic == topic,
        Subscription.channel == body.channel, Subscription.address == body.address))  # fmt: skip
    waiting = session.scalar(select(func.count()).select_from(Subscription).where(
        Subscription.address == body.address, Subscription.confirmed_at.is_(None), Subscription.ended_at.is_(None)))  # fmt: skip
    end_read(session)
    if existing is None and (waiting or 0) >= MAX_UNCONFIRMED:
        return  # the same answer, and nothing sent: an address nobody confirms is not written to again
    now = utcnow()
    with write(session, CITIZEN) as tx:
        key: str | None = None
        sub = session.get(Subscription, existing.id) if existing else None
        if sub is None:
            sub = Subscription(topic=topic, channel=body.channel, address=body.address, language=body.language,
                               created_at=now)  # fmt: skip
            session.add(sub)
            session.flush()
            key = f"confirm:{sub.id}"
        elif sub.ended_at is not None:  # subscribing again after unsubscribing: confirm again
            sub.ended_at, sub.confirmed_at, sub.language = None, None, body.language
            key = f"confirm:{sub.id}:{int(now.timestamp())}"
        tx.record("notify.follow", "subscription", sub.id, {"topic": topic, "channel": body.channel})
        if key is not None:
            link = f"{get_settings().public_url}/notify/confirm?t={sign(CONFIRM, sub.id, CONFIRM_SECONDS)}"
            params = {"topic_zh": zh, "topic_en": en, "confirm": link}
            row = outbox_row(key, person_of(sub), "confirm_subscription", params, case_id=None, workbench=False,
                             opt_in=True)  # fmt: skip
            write_rows(session, [row] if row else [])


def confirmable(session: Session, token: str | None) -> Subscription:
    """The subscription a confirmation link is for (a forged, expired or ended one looks missing)."""
    sub_id = unsign(CONFIRM, token)
    sub = session.get(Subscription, sub_id) if isinstance(sub_id, int) else None
    end_read(session)
    if sub is None or sub.ended_at is not None:
        raise NotFound("订阅", "subscription")
    return sub


def do_confirm(session: Session, token: str | None) -> None:
    """The owner of the address confirms: from now on they hear of the topic."""
    sub = confirmable(session, token)
    with write(session, CITIZEN) as tx:
        if sub.confirmed_at is None:
            sub.confirmed_at = utcnow()
        tx.record("notify.confirm", "subscription", sub.id, {"topic": sub.topic})


def subscriber_rows(
    session: Session, topic: str, event_key: str, template: str, params: dict[str, Any]
) -> list[dict[str, Any]]:
    """Outbox rows for everyone who confirmed a subscription to `topic` and has not ended it."""
    subs = session.scalars(select(Subscription).where(Subscription.topic == topic,
        Subscription.confirmed_at.is_not(None), Subscription.ended_at.is_(None)).order_by(Subscription.id))  # fmt: skip
    rows = [outbox_row(event_key, person_of(s), template, params, case_id=None, workbench=False, opt_in=True)
            for s in subs]  # fmt: skip
    return [r for r in rows if r]
