"""The demo city holds an inspection round with its published rectification report, a round under way, and an
accountability register with a public decision (and the ladder's own records)."""

from __future__ import annotations

from sqlalchemy import select

from minyi.accountability.models import AccountabilityRecord
from tests.support.tamper import arrange
from tests.web.pages_support import *  # noqa: F403
from tests.web.pages_support import sign_in


def test_the_demo_rounds_report_and_register(client, db) -> None:  # type: ignore[no-untyped-def]
    sources = set(db.scalars(select(AccountabilityRecord.source)))
    arrange(db)
    assert sources == {"supervisor", "ladder"}  # the sweep's 通报/问责 rung opened records too
    rounds = client.get("/inspections").text
    assert "市委第一巡察组" in rounds and "市委第二巡察组" in rounds
    report = client.get("/inspections/1/report").text
    assert "整改情况通报" in report and "已完成" in report and "未通过验收" in report
    assert "给巡视巡察组写信" in client.get("/inspections/2").text
    assert "赵某某" in client.get("/accountability").text
    assert sign_in(client, "inspector2").status_code == 303
    assert "客运站周边出租车" in client.get("/staff/inspections/2").text
    assert sign_in(client, "jtysj-head").status_code == 303
    assert "客运站周边出租车" not in client.get("/staff/inspections/2").text
    assert sign_in(client, "supervisor").status_code == 303
    assert "问责登记" in client.get("/staff/accountability").text
