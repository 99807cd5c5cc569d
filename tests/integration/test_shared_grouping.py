"""The board's hot issues and `minyi watch` read one stored grouping: the same matters, under the same keys."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine, select
from typer.testing import CliRunner

from minyi.accounts.actor import Actor
from minyi.alerts.actions import do_detect_alerts
from minyi.alerts.grouping import stored_keys
from minyi.audit.models import AuditEntry
from minyi.cases.exports import iter_messages
from minyi.cli import app
from minyi.db import session_factory, utcnow
from minyi.insight.readers import CHINA
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


SUBSIDY = ["咨询人才购房补贴的申请条件，二手房能不能申请", "人才购房补贴为什么迟迟不发放，三个月没到账",
           "在本市买二手房能享受人才购房补贴吗"]  # fmt: skip


def _write_csv(path: Path, engine: Engine) -> None:
    """The cases as a teddy2020-layout file, as `minyi hot --input` reads one."""
    import csv

    with session_factory(engine)() as s, path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "user", "title", "time", "detail", "likes", "dislikes"])
        for m in iter_messages(s):
            w.writerow([m.id, m.user, m.title, f"{m.time.astimezone(CHINA):%Y/%m/%d %H:%M:%S}", m.text, 0, 0])


def test_minyi_hot_on_a_file_finds_the_matters_watch_stored(engine: Engine, tmp_path: Path) -> None:
    now = utcnow()
    with session_factory(engine)() as s:
        make_org(s)
        codes = [submit(s, title=t[:12], body=t, now=now - timedelta(hours=5 * i)).tracking_code
                 for i, t in enumerate(LIFT + LAMP + SUBSIDY)]  # fmt: skip
    do_detect_alerts(engine, now)
    with session_factory(engine)() as s:
        stored = stored_keys(s, now - timedelta(days=60))
    _write_csv(tmp_path / "cases.csv", engine)
    out = CliRunner().invoke(
        app, ["hot", "--input", str(tmp_path / "cases.csv"), "--details", str(tmp_path / "d.csv")]
    )
    assert out.exit_code == 0, out.output
    import csv

    rows = list(csv.DictReader((tmp_path / "d.csv").read_text("utf-8-sig").splitlines()))
    on_file = {r["id"]: r["matter"] for r in rows}
    assert set(on_file) == set(codes)

    def matters(keys: dict[str, str]) -> set[frozenset[str]]:
        return {frozenset(c for c in codes if keys[c] == k) for k in set(keys.values())}

    assert matters(on_file) == matters(stored) and on_file == {c: stored[c] for c in codes}
    assert frozenset(codes[:4]) in matters(on_file) and len(matters(on_file)) < len(codes)
