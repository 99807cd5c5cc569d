"""The insight commands read the database when given no --input."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from minyi.cases import actions as act
from minyi.cases.exports import iter_messages, iter_outcomes
from minyi.db import reset_caches, session_factory
from tests.support.factories import make_org, submit


def test_cases_stream_as_messages_and_outcomes(engine: Engine) -> None:
    with session_factory(engine)() as s:
        org = make_org(s)
        a = submit(s, title="翠湖花园电梯故障", body="翠湖花园3栋电梯又坏了，老人出行困难。")
        submit(s, title="翠湖花园电梯还是坏的", body="翠湖花园3栋电梯坏了一周，物业不管。")
        act.do_accept(s, a, org.actor("intake"))
        act.do_assign(s, a, org.actor("intake"), department_id=org.housing.id)
        messages = list(iter_messages(s))
        outcomes = list(iter_outcomes(s))
    assert len(messages) == 2 and messages[0].time.tzinfo is not None
    assert messages[0].topic == "城乡建设" and messages[0].department == "住建局"
    assert [o.department for o in outcomes] == ["住建局"]


def test_hot_without_input_reads_the_database(sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MINYI_DATABASE_URL", str(sqlite_engine.url))
    reset_caches()
    with session_factory(sqlite_engine)() as s:
        make_org(s)
        for i in range(4):
            submit(
                s, title=f"翠湖花园电梯故障{i}", body=f"翠湖花园3栋电梯又坏了，第{i}次反映，老人出行困难。"
            )
    from minyi.cli import app

    out = CliRunner().invoke(app, ["hot", "--top", "3", "--format", "json"])
    assert out.exit_code == 0, out.output
    issues = json.loads(out.output)
    assert issues and issues[0]["count"] >= 2 and len(issues[0]["message_ids"]) == issues[0]["count"]


def test_surges_become_alerts_once_and_supervisors_acknowledge_them(engine: Engine) -> None:
    from datetime import timedelta

    from minyi.alerts.actions import do_acknowledge_alert, do_detect_alerts, open_alerts
    from minyi.db import utcnow
    from minyi.errors import Forbidden, InvalidTransition

    now = utcnow()
    with session_factory(engine)() as s:
        org = make_org(s)
        for day in range(40, 1, -1):  # a quiet background: one message every other day in the east district
            if day % 2 == 0:
                submit(
                    s, title=f"路灯问题{day}", body=f"东区路灯不亮第{day}天", now=now - timedelta(days=day)
                )
        for i in range(12):  # then a surge today
            submit(s, title=f"停水{i}", body=f"东区翠湖花园停水了，第{i}户反映，家里老人孩子没水用。",
                   now=now - timedelta(hours=i))  # fmt: skip
    first = do_detect_alerts(engine, now)
    assert first and any(a.kind == "region" and a.count >= 12 for a in first)
    assert do_detect_alerts(engine, now) == []  # the same alert is kept once
    with session_factory(engine)() as s:
        alert = open_alerts(s, org.actor("supervisor"))[0]
        with pytest.raises(Forbidden):
            do_acknowledge_alert(s, org.actor("housing-handler"), alert.id)
        do_acknowledge_alert(s, org.actor("supervisor"), alert.id, "已联系水务集团抢修")
        with pytest.raises(InvalidTransition):
            do_acknowledge_alert(s, org.actor("supervisor"), alert.id)
        assert alert.id not in [a.id for a in open_alerts(s, org.actor("supervisor"))]


def test_a_surge_that_goes_on_keeps_one_alert(engine: Engine) -> None:
    from datetime import timedelta

    from minyi.alerts.actions import do_detect_alerts
    from minyi.cases.models import AlertRow
    from minyi.db import utcnow

    now = utcnow()
    with session_factory(engine)() as s:
        make_org(s)
        for day in range(40, 2, -1):
            if day % 2 == 0:
                submit(s, title=f"路灯{day}", body=f"东区路灯不亮第{day}天", now=now - timedelta(days=day))
        for day in (1, 0):  # two days of surge
            for i in range(10):
                submit(
                    s,
                    title=f"停水{day}-{i}",
                    body=f"东区停水了，第{i}户反映。",
                    now=now - timedelta(days=day, hours=i),
                )
    assert do_detect_alerts(engine, now - timedelta(days=1))
    do_detect_alerts(engine, now)
    with session_factory(engine)() as s:
        regions = s.scalars(select(AlertRow).where(AlertRow.kind == "region")).all()
        assert len(regions) == 1 and regions[0].count >= 20
