"""Sending what the outbox holds: claim a batch, send each on its channel, record the outcome.

A message is claimed (its next try moved a lease ahead) in one short write before it is sent, so two senders (the
server's thread and `minyi notify send` from cron) never send it twice at once; a sender that dies after sending
and before recording sends it again after the lease (at least once, never lost). Failures are tried again with
back-off and, after MAX_ATTEMPTS, left on the dead-letter list for an administrator. A failing channel delays
only its own messages; no case ever waits on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from minyi.accounts.actor import SYSTEM
from minyi.db import session_factory, utcnow
from minyi.notifications.channels import Channel, SendFailed, channels
from minyi.notifications.choices import unsubscribe_url
from minyi.notifications.models import Notification
from minyi.notifications.rules import LEASE, REQUEUE_WITHIN, after_failure, backoff
from minyi.uow import end_read, write

BATCH = 50
BOOKKEEPING = "notification delivery state (the outbox row is the record)"


@dataclass
class SendReport:
    """What one pass of the sender did."""

    sent: int = 0
    failed: int = 0
    dead: int = 0
    errors: list[str] = field(default_factory=list)


def _claim(session: Session, now: datetime, batch: int) -> list[Notification]:
    ids = list(session.scalars(
        select(Notification.id)
        .where(Notification.status == "pending", Notification.next_attempt_at <= now)
        .order_by(Notification.next_attempt_at, Notification.id).limit(batch)
    ))  # fmt: skip
    end_read(session)
    claimed: list[int] = []
    with write(session, SYSTEM, bookkeeping=BOOKKEEPING):
        for nid in ids:
            res = session.execute(
                update(Notification)
                .where(Notification.id == nid, Notification.status == "pending",
                       Notification.next_attempt_at <= now)
                .values(next_attempt_at=now + LEASE, attempts=Notification.attempts + 1)
            )  # fmt: skip
            if getattr(res, "rowcount", 0) == 1:
                claimed.append(nid)
    rows = list(
        session.scalars(select(Notification).where(Notification.id.in_(claimed)).order_by(Notification.id))
    )
    end_read(session)
    return rows


def send_batch(
    session: Session,
    *,
    now: datetime | None = None,
    via: dict[str, Channel] | None = None,
    batch: int = BATCH,
) -> SendReport:
    """Send one batch of due messages; returns what happened."""
    now = now or utcnow()
    via = channels() if via is None else via
    report = SendReport()
    outcome: dict[int, str | None] = {}
    for row in _claim(session, now, batch):
        channel = via.get(row.channel)
        try:
            if channel is None:
                raise SendFailed(f"{row.channel}: channel no longer configured")
            params = {**(row.params or {}), "unsubscribe": unsubscribe_url(row.recipient)}
            channel.send(row.address or "", row.template, params, row.language)
            outcome[row.id] = None
        except SendFailed as exc:
            outcome[row.id] = str(exc)[:500]
            report.errors.append(outcome[row.id] or "")
    if not outcome:
        return report
    with write(session, SYSTEM, bookkeeping=BOOKKEEPING):
        for row in session.scalars(select(Notification).where(Notification.id.in_(list(outcome)))):
            error = outcome[row.id]
            if error is None:
                row.status, row.sent_at, row.last_error = "sent", utcnow(), None
                report.sent += 1
                continue
            row.status, row.last_error = after_failure(row.attempts), error
            row.next_attempt_at = now + backoff(row.attempts)
            report.failed += 1
            report.dead += row.status == "dead"
    return report


def requeue_unconfigured(session: Session, configured: frozenset[str], *, now: datetime | None = None) -> int:
    """Messages left "unconfigured" (written while their channel was not set up) go out once it is: the same
    rows turn pending, so nothing is written twice; only those younger than REQUEUE_WITHIN. Returns how many."""
    now = now or utcnow()
    if not configured:
        return 0
    where = (Notification.status == "unconfigured", Notification.channel.in_(sorted(configured)),
             Notification.created_at >= now - REQUEUE_WITHIN)  # fmt: skip
    if session.scalar(select(Notification.id).where(*where).limit(1)) is None:
        end_read(session)
        return 0
    end_read(session)
    with write(session, SYSTEM, bookkeeping=BOOKKEEPING):
        res = session.execute(
            update(Notification).where(*where).values(status="pending", next_attempt_at=now)
        )
    return int(getattr(res, "rowcount", 0) or 0)


def send_due(engine: Engine | None = None, *, now: datetime | None = None,
             via: dict[str, Channel] | None = None) -> SendReport:  # fmt: skip
    """Send every message due now, batch after batch (for `minyi notify send` and the worker), first taking up
    what waited for a channel that is now configured."""
    total = SendReport()
    via = channels() if via is None else via
    with session_factory(engine)() as session:
        requeue_unconfigured(session, frozenset(via), now=now)
        while True:
            r = send_batch(session, now=now, via=via)
            total.sent, total.failed, total.dead = (
                total.sent + r.sent,
                total.failed + r.failed,
                total.dead + r.dead,
            )
            total.errors.extend(r.errors)
            if r.sent + r.failed == 0:
                return total
