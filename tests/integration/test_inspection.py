"""Inspection rounds through their actions on SQLite and PostgreSQL: the team alone reads what the public sent,
the rectification list is followed item by item, the ladder watches its deadlines, the report is published."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.accounts.actor import CITIZEN
from minyi.audit.models import AuditEntry
from minyi.db import utcnow
from minyi.errors import Conflict, Forbidden, InvalidInput, NotFound, NotPermitted
from minyi.inspection.actions import do_send_letter
from minyi.inspection.commands import COMMANDS, execute
from minyi.inspection.ladder import sweep_rectification
from minyi.inspection.models import InspectionRound
from minyi.inspection.present import round_view
from minyi.inspection.report import read_report
from minyi.inspection.schemas import (
    ClueIn,
    DecisionIn,
    FindingsIn,
    LetterIn,
    NothingIn,
    ProgressIn,
    RoundIn,
)
from tests.support.factories import make_org
from tests.support.inspections import LETTER, item, make_inspectors, open_round, today


def test_only_the_team_reads_letters_calls_and_clues(session: Session) -> None:
    org = make_org(session)
    ins = make_inspectors(session, org)
    rnd = open_round(session, org, ins["inspector"], [])
    do_send_letter(session, CITIZEN, rnd, LetterIn(body=LETTER))
    execute(
        session,
        org.actor("intake"),
        rnd.id,
        COMMANDS["register_call"],
        LetterIn(body="来电反映住建局违规发放补贴"),
    )
    execute(
        session,
        ins["inspector"],
        rnd.id,
        COMMANDS["mark_clue"],
        ClueIn(summary="王科长索要好处费", submission_id=1),
    )
    view = round_view(session, ins["inspector"], rnd)
    assert [s.channel for s in view.submissions or []] == ["mailbox", "phone"] and len(view.clues or []) == 1
    for outsider in [org.actor(u) for u in ("housing-handler", "housing-head", "admin", "supervisor", "intake",
                                            "transport-handler")] + [ins["inspector2"], ins["housing-inspector"]]:  # fmt: skip
        seen = round_view(session, outsider, rnd)
        assert seen.submissions is None and seen.clues is None, outsider
        assert LETTER not in seen.model_dump_json()
    with pytest.raises(NotPermitted):  # the inspected unit cannot mark clues, nor register calls
        execute(
            session, org.actor("housing-head"), rnd.id, COMMANDS["register_call"], LetterIn(body="x" * 12)
        )
    entries = session.scalars(select(AuditEntry.data)).all()
    assert all("好处费" not in str(d) for d in entries)  # the chain carries ids, never what was said


def test_a_team_is_inspectors_not_of_the_unit(session: Session) -> None:
    org = make_org(session)
    ins = make_inspectors(session, org)
    t = today(session)
    body = RoundIn(title="巡察", unit_id=org.housing.id, starts_on=t, ends_on=t + timedelta(days=5))
    with pytest.raises(Forbidden):
        from minyi.inspection.actions import do_open_round

        do_open_round(session, ins["housing-inspector"], body)
    with pytest.raises(Forbidden):
        do_open_round(session, org.actor("admin"), body)
    with pytest.raises(InvalidInput):
        open_round(session, org, ins["inspector"], [ins["housing-inspector"].user_id or 0])
    with pytest.raises(InvalidInput):
        open_round(session, org, ins["inspector"], [org.users["supervisor"].id])


def test_rectification_is_followed_item_by_item_and_published_redacted(session: Session) -> None:
    org = make_org(session)
    ins = make_inspectors(session, org)
    lead, unit = ins["inspector"], org.actor("housing-head")
    rnd = open_round(session, org, lead, [ins["inspector2"].user_id or 0])
    due = rnd.ends_on + timedelta(days=30)
    findings = FindingsIn(
        findings="审批权力集中，监督缺位",
        items=[item(org, due), item(org, due + timedelta(days=5), n=2, unit_id=org.transport.id)],
    )
    with pytest.raises(NotPermitted):
        execute(session, unit, rnd.id, COMMANDS["give_findings"], findings)
    execute(session, lead, rnd.id, COMMANDS["give_findings"], findings)
    r = session.get(InspectionRound, rnd.id)
    assert r is not None and r.stage == "rectifying" and r.rectification_due == due + timedelta(days=5)
    first, second = (i.id for i in round_view(session, unit, r).items or [])
    other = org.actor("transport-handler")  # responsible for the second item only
    with pytest.raises(NotFound):
        execute(
            session,
            other,
            rnd.id,
            COMMANDS["report_progress"],
            ProgressIn(item_id=first, done="已整改", evidence="文件"),
        )
    assert [i.id for i in round_view(session, other, r).items or []] == [second]
    with pytest.raises(NotPermitted):
        execute(session, org.actor("housing-handler"), rnd.id, COMMANDS["decide_item"],
                DecisionIn(item_id=first, accept=True, reason="自己验收"))  # fmt: skip
    execute(session, unit, rnd.id, COMMANDS["report_progress"],
            ProgressIn(item_id=first, done="印发制度，王科长电话13911112222已公开", evidence="文件", complete=True))  # fmt: skip
    with pytest.raises(Conflict):
        execute(
            session,
            lead,
            rnd.id,
            COMMANDS["decide_item"],
            DecisionIn(item_id=second, accept=True, reason="同意验收"),
        )
    execute(
        session,
        lead,
        rnd.id,
        COMMANDS["decide_item"],
        DecisionIn(item_id=first, accept=False, reason="缺抽查记录"),
    )
    execute(session, unit, rnd.id, COMMANDS["report_progress"],
            ProgressIn(item_id=first, done="补充抽查记录", evidence="抽查记录20份", complete=True))  # fmt: skip
    execute(
        session,
        ins["inspector2"],
        rnd.id,
        COMMANDS["decide_item"],
        DecisionIn(item_id=first, accept=True, reason="完成"),
    )
    with pytest.raises(Conflict):  # before the deadline the report is not due
        execute(session, lead, rnd.id, COMMANDS["publish_report"], NothingIn())

    # the ladder: a reminder shortly before the second item's deadline, a notice after, the report at the end
    start = utcnow()
    assert sweep_rectification(session, start)["rectification_reminder"] == 0
    near = start + timedelta(days=(due + timedelta(days=4) - today(session)).days)
    counts = sweep_rectification(session, near)
    assert counts["rectification_reminder"] == 1 and counts["rectification_reports"] == 0
    assert sweep_rectification(session, near)["rectification_reminder"] == 0  # once
    late = start + timedelta(days=(due + timedelta(days=6) - today(session)).days)
    counts = sweep_rectification(session, late)
    assert counts == {"rectification_reminder": 0, "rectification_overdue": 1, "rectification_reports": 1}
    r = session.get(InspectionRound, rnd.id)
    assert r is not None
    session.refresh(r)
    report = read_report(r)
    assert report is not None and r.stage == "published" and report["counts"]["accepted"] == 1
    assert [i["status"] for i in report["items"]] == ["accepted", "open"]
    text = str(report)
    assert "13911112222" not in text and "13800001111" not in text and "补充抽查记录" in text
    actions = session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("inspection.%"))).all()
    assert "inspection.item_overdue" in actions and actions[-1] == "inspection.report_published"
