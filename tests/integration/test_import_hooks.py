"""An import's events reach the event hooks as an import's (`cases.events.is_import`): the outbox skips them
without reading their cases, the scoreboard rollup counts the cases as new without reading a history they
cannot have, and nothing else changes: later steps on an imported case notify staff as on any case."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session

from minyi.accounts.actor import SYSTEM
from minyi.cases import actions as act
from minyi.cases.models import Case
from minyi.notifications.models import Notification
from minyi.portal.actions import do_rebuild_scoreboard
from minyi.portal.models import ScoreboardMonth
from tests.integration.test_import_fast import HEADER, ROWS
from tests.support.factories import make_org, submit


def _months(s: Session) -> set[tuple[Any, ...]]:
    return {
        tuple(getattr(m, c.key) for c in ScoreboardMonth.__table__.columns)
        for m in s.scalars(select(ScoreboardMonth))
    }


@pytest.mark.parametrize("lean", [True, False], ids=["lean", "prepared"])
def test_import_hooks_read_no_case_and_no_history(
    engine: Engine, session: Session, tmp_path: Path, lean: bool
) -> None:
    from minyi.intake_import.importer import import_file

    org = make_org(session)
    session.rollback()
    path = tmp_path / "export.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([HEADER, *ROWS])
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
        statements.append(sql)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        result = import_file(engine, path, source="s", enrich=False, lean=lean, batch_size=4)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert (result.imported, result.error_count) == (len(ROWS), 0), result.errors
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert not [s for s in reads if "tracking_code" in s], "the outbox read the imported cases"
    assert not [s for s in reads if "scoreboard_cases" in s or "FROM case_events" in s], "history read"
    assert session.scalar(select(Notification.id)) is None  # an import's steps happened elsewhere: no message

    counted = _months(session)  # the rollup counted the new cases as a rebuild from the record does
    do_rebuild_scoreboard(session, SYSTEM)
    assert counted == _months(session) and counted

    # later steps on an imported case are any case's: the department hears of an assignment, the submitter
    # (imported with a phone, no channel chosen) of nothing; a web submission after the import is told as ever
    imported = session.scalars(select(Case).where(Case.external_ref == "GD5")).one()
    act.do_accept(session, imported, org.actor("intake"))
    act.do_assign(session, imported, org.actor("intake"), department_id=org.transport.id)
    sent = session.scalars(select(Notification).where(Notification.case_id == imported.id)).all()
    assert {(n.template, n.recipient) for n in sent} == {
        ("assigned", f"user:{org.users['transport-handler'].id}")
    }
    web = submit(session, contact={"email": "a@example.org", "notify_by": "email"})
    told = session.scalars(select(Notification.template).where(Notification.case_id == web.id)).all()
    assert told == ["registered"]
