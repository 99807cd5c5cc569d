"""Every aggregate over cases (hot issues, alerts, the CLI's hot issues) keeps confidential text from the uncleared."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from minyi.accounts.actor import SYSTEM
from minyi.alerts.actions import do_detect_alerts, open_alerts
from minyi.cases.exports import iter_messages
from minyi.cases.models import AlertRow
from minyi.db import reset_caches, session_factory, utcnow
from minyi.uow import write
from minyi.workbench import insight_panels
from tests.support.factories import Org, make_org, submit
from tests.support.tamper import OUTSIDER

SECRET = "某局长收受开发商贿赂"


def _misconduct_reports(s, n: int = 6) -> list[str]:  # type: ignore[no-untyped-def]
    now = utcnow()
    return [
        submit(s, kind="report", visibility="confidential", title=f"{SECRET}{i}",
               body=f"翠湖花园项目{SECRET}，第{i}次举报，请纪检部门调查。", now=now - timedelta(hours=i)).tracking_code
        for i in range(n)
    ]  # fmt: skip


def _forget_hot() -> None:
    insight_panels._hot_without_confidential.forget()  # type: ignore[attr-defined]
    insight_panels._hot_with_confidential.forget()  # type: ignore[attr-defined]


def _org_with_reports(s) -> tuple[Org, list[str]]:  # type: ignore[no-untyped-def]
    org = make_org(s)
    return org, _misconduct_reports(s)


def test_messages_leave_out_confidential_cases_for_the_uncleared(engine: Engine) -> None:
    with session_factory(engine)() as s:
        org, codes = _org_with_reports(s)
        submit(s, title="路灯不亮")
        assert [m.title for m in iter_messages(s, viewer=org.actor("supervisor"))] == ["路灯不亮"]
        assert [m.title for m in iter_messages(s)] == ["路灯不亮"]
        assert len(list(iter_messages(s, viewer=org.actor("admin")))) == len(codes) + 1


def test_hot_issues_never_show_a_confidential_title_to_the_uncleared(engine: Engine) -> None:
    _forget_hot()
    with session_factory(engine)() as s:
        org, _ = _org_with_reports(s)
        now = utcnow()
        uncleared = insight_panels.hot_issues(s, org.actor("supervisor"), now)
        cleared = insight_panels.hot_issues(s, org.actor("admin"), now)
        handler = insight_panels.hot_issues(s, org.actor("housing-handler"), now)
    _forget_hot()
    assert SECRET not in repr(uncleared) and SECRET not in repr(handler)
    assert cleared and cleared[0].count == 6


def test_alerts_are_not_raised_from_confidential_cases_and_hide_their_codes(engine: Engine) -> None:
    now = utcnow()
    with session_factory(engine)() as s:
        org, codes = _org_with_reports(s)
        for day in range(30, 1, -1):
            if day % 3 == 0:
                submit(s, kind="report", visibility="confidential", title=f"背景{day}", body=f"东区背景{day}",
                       now=now - timedelta(days=day))  # fmt: skip
    assert do_detect_alerts(engine, now) == []
    with session_factory(engine)() as s:
        with write(s, SYSTEM, bookkeeping=OUTSIDER):  # an alert planted as detection would store it
            s.add(AlertRow(key="k", kind="region", series="东区", window_start=now.date(), window_end=now.date(),
                           count=6, expected=1.0, ratio=6.0, p_value=1e-5, weighted=6.0, examples=codes[:2]))  # fmt: skip
        assert open_alerts(s, org.actor("supervisor"))[0].examples == []
        assert open_alerts(s, org.actor("admin"))[0].examples == codes[:2]


def test_the_hot_command_leaves_out_confidential_cases(
    sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MINYI_DATABASE_URL", str(sqlite_engine.url))
    reset_caches()
    with session_factory(sqlite_engine)() as s:
        _org_with_reports(s)
    from minyi.cli import app

    out = CliRunner().invoke(app, ["hot", "--top", "3", "--format", "json"])
    assert out.exit_code == 0, out.output
    assert SECRET not in out.output and json.loads(out.output) == []
