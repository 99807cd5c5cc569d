"""Early warning over the stored cases: detect surges (`minyi watch`), keep each alert once, acknowledge it.

Each run also updates the shared grouping (alerts/grouping.py) that the board's hot issues read.

Detection reads no confidential case (an alert's name and examples are read by every supervisor)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, Engine, select
from sqlalchemy.orm import Session

from minyi.access import OVERSIGHT
from minyi.accounts.actor import SYSTEM, Actor
from minyi.alerts.grouping import store_keys, stored_keys
from minyi.cases.exports import iter_messages
from minyi.cases.models import AlertRow, Case
from minyi.cases.queries import visible_filter
from minyi.db import session_factory, utcnow
from minyi.errors import Forbidden, InvalidTransition, NotFound
from minyi.uow import end_read, write

if TYPE_CHECKING:
    from minyi.insight.surge import Alert

LOOKBACK_DAYS = 60  # the widest window plus each series' baseline, with room
EPISODE_GAP_DAYS = 7  # a surge in the same series within a week of the last alert continues that alert


def _same_series(a: Alert) -> ColumnElement[bool]:
    """An issue's title follows its newest messages; its identity (first message id, at the end) does not."""
    if a.kind == "issue" and a.identity:
        return AlertRow.series.endswith(f"（{a.identity}）", autoescape=True)
    return AlertRow.series == a.series


def do_detect_alerts(engine: Engine | None = None, now: datetime | None = None) -> list[AlertRow]:
    """Run surge detection over the recent cases; a new surge becomes an alert, a continuing one updates its alert."""
    from minyi.insight.matters import shared_grouping
    from minyi.insight.surge import detect_surges

    now = now or utcnow()
    since = now - timedelta(days=LOOKBACK_DAYS)
    with session_factory(engine)() as session:
        messages = list(iter_messages(session, since=since))
        stored = stored_keys(session, since)
        end_read(session)
        keys = shared_grouping(messages, stored)[1] if messages else {}  # the board reads the same matters
        found = detect_surges(messages, now, issue_of=keys)
        with write(session, SYSTEM) as tx:
            changed = store_keys(session, keys, stored, now)
            new = _store_alerts(session, found, now)
            if changed:
                tx.record("grouping.update", "case_group", None, {"changed": changed, "grouped": len(keys)})
            if new or found:
                tx.record("alert.detect", "alert", None, {"new": [a.key for a in new], "surges": len(found)})
        return new


def _store_alerts(session: Session, found: list[Alert], now: datetime) -> list[AlertRow]:
    """A new surge becomes an alert; one that goes on updates the alert of its episode."""
    new: list[AlertRow] = []
    for a in found:
        episode = session.scalar(
            select(AlertRow)
            .where(AlertRow.kind == a.kind, _same_series(a),
                   AlertRow.window_end >= a.window_start - timedelta(days=EPISODE_GAP_DAYS))
            .order_by(AlertRow.window_end.desc())
        )  # fmt: skip
        if episode is None:
            row = AlertRow(key=a.key, kind=a.kind, series=a.series, window_start=a.window_start,
                           window_end=a.window_end, count=a.count, expected=round(a.expected, 3),
                           ratio=round(a.ratio, 2), p_value=a.p_value, weighted=round(a.weighted, 3),
                           examples=list(a.example_ids)[:5], detected_at=now)  # fmt: skip
            session.add(row)
            new.append(row)
        elif a.window_end > episode.window_end or a.count > episode.count:  # the same surge goes on
            episode.window_end = max(episode.window_end, a.window_end)
            episode.count = max(episode.count, a.count)
            episode.ratio, episode.p_value = (
                max(episode.ratio, round(a.ratio, 2)),
                min(episode.p_value, a.p_value),
            )
            episode.examples = list(dict.fromkeys([*episode.examples, *a.example_ids]))[:5]
        session.flush()
    return new


def do_acknowledge_alert(session: Session, actor: Actor, alert_id: int, note: str | None = None) -> AlertRow:
    """A supervisor has seen the alert and says what is being done."""
    if actor.role not in OVERSIGHT:
        raise Forbidden("仅督查人员可确认预警", "only supervisors acknowledge alerts")
    with write(session, actor) as tx:
        alert = session.get(AlertRow, alert_id, with_for_update=True, populate_existing=True)
        if alert is None:
            raise NotFound("预警", "alert")
        if alert.acknowledged_at is not None:
            raise InvalidTransition("该预警已确认", "alert already acknowledged")
        alert.acknowledged_by, alert.acknowledged_at = actor.user_id, utcnow()
        alert.ack_note = (note or "").strip()[:2000] or None
        tx.record("alert.acknowledge", "alert", alert.id, {"note": alert.ack_note})
    return alert


@dataclass(frozen=True)
class AlertLine:
    """An open alert as one viewer sees it: the example cases are only those the viewer may read."""

    id: int
    kind: str
    series: str
    window_start: date
    window_end: date
    count: int
    expected: float
    ratio: float
    p_value: float
    examples: list[str]


def open_alerts(session: Session, actor: Actor, limit: int = 20) -> list[AlertLine]:
    """Alerts nobody has acknowledged yet, newest first, with the examples the actor may read."""
    stmt = select(AlertRow).where(AlertRow.acknowledged_at.is_(None)).order_by(AlertRow.detected_at.desc())
    rows = list(session.scalars(stmt.limit(limit)))
    codes = {c for r in rows for c in r.examples or []}
    readable = set(
        session.scalars(
            select(Case.tracking_code).where(Case.tracking_code.in_(codes), *visible_filter(actor))
        )
        if codes
        else []
    )
    return [
        AlertLine(r.id, r.kind, r.series, r.window_start, r.window_end, r.count, r.expected, r.ratio, r.p_value,
                  [c for c in r.examples or [] if c in readable])
        for r in rows
    ]  # fmt: skip
