"""The board's hot issues and `minyi watch` read one stored grouping: the same matters, under the same keys."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, select

from minyi.accounts.actor import Actor
from minyi.alerts.actions import do_detect_alerts
from minyi.alerts.grouping import stored_keys
from minyi.audit.models import AuditEntry
from minyi.db import session_factory, utcnow
from minyi.workbench import insight_panels
from tests.support.factories import make_org, submit

LIFT = ["翠湖花园小区电梯故障多日无人维修，老人上下楼困难", "翠湖花园小区电梯又坏了，物业不维修，老人被困",
        "翠湖花园小区电梯故障停运一周，物业推诿扯皮", "翠湖花园电梯故障，业主多次报修无人理"]  # fmt: skip
LAMP = [
    "幸福路路灯晚上不亮，行人摔倒",
    "幸福路的路灯坏了一个月，晚上一片漆黑",
    "幸福路路灯不亮，夜里出行危险",
]


def _forget_hot() -> None:
    insight_panels._hot_without_confidential.forget()  # type: ignore[attr-defined]
    insight_panels._hot_with_confidential.forget()  # type: ignore[attr-defined]


def _board_groups(engine: Engine, actor: Actor) -> list[set[str]]:
    _forget_hot()
    with session_factory(engine)() as s:
        lines = insight_panels.hot_issues(s, actor, utcnow(), top=10)
    _forget_hot()
    return [set(line.codes) for line in lines]


def test_the_board_and_watch_read_the_same_stored_matters(engine: Engine) -> None:
    now = utcnow()
    with session_factory(engine)() as s:
        supervisor = make_org(s).actor("supervisor")
        codes = [submit(s, title=t[:10], body=t, now=now - timedelta(hours=3 * i)).tracking_code
                 for i, t in enumerate(LIFT + LAMP)]  # fmt: skip
    do_detect_alerts(engine, now)  # `minyi watch`: groups and stores
    with session_factory(engine)() as s:
        stored = stored_keys(s, now - timedelta(days=60))
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "grouping.update")).one()
    assert set(stored) == set(codes) and entry.data["changed"] == len(codes)
    lift, lamp = {stored[c] for c in codes[:4]}, {stored[c] for c in codes[4:]}
    assert len(lift) == 1 and not lift & lamp  # one matter; the lamps are other matters

    board = _board_groups(engine, supervisor)
    assert set(codes[:4]) in board
    for group in board:  # every hot issue on the board is one stored matter
        assert len({stored[c] for c in group}) == 1

    # A new message of a stored matter: the board joins it at once; the next watch stores it under the same key.
    with session_factory(engine)() as s:
        later = submit(
            s, title="翠湖花园电梯", body="翠湖花园小区电梯故障还没修好，老人下不了楼", now=now
        ).tracking_code
    assert set(codes[:4]) | {later} in _board_groups(engine, supervisor)
    do_detect_alerts(engine, now + timedelta(minutes=5))
    with session_factory(engine)() as s:
        again = stored_keys(s, now - timedelta(days=60))
    assert again[later] == stored[codes[0]] and {k: again[k] for k in codes} == {k: stored[k] for k in codes}
