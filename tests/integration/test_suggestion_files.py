"""Suggestions' files on SQLite and PostgreSQL: who may read them is the suggestions slice's rule, registered with
the attachments slice (the office and the item's units; another unit finds nothing)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.attachments.actions import prepare
from minyi.attachments.queries import access_attachment
from minyi.db import reset_caches
from minyi.errors import NotFound
from minyi.suggestions.files import ANSWER, SUBMISSION, attach, files_of
from minyi.suggestions.models import SuggestionAnswer
from minyi.uow import write
from tests.support.factories import make_org
from tests.support.suggestions import answered_suggestion

TEXT = "我局已会同财政局出台加装电梯补贴办法，每台补贴15万元，审批时限压缩至10个工作日，今年已完成120台。"


def test_the_item_s_units_and_the_office_read_its_files_and_no_other_unit(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MINYI_DATA_DIR", str(tmp_path / "data"))
    reset_caches()
    org = make_org(session)
    item = answered_suggestion(
        session, org, number=9, subject="加装电梯", body="建议简化加装电梯审批。", answer=TEXT
    )
    answer_id = session.scalar(select(SuggestionAnswer.id).where(SuggestionAnswer.suggestion_id == item.id))
    assert answer_id is not None
    with write(session, org.actor("housing-head")):
        [doc] = attach(
            session, ANSWER, answer_id, prepare(session, ANSWER, answer_id, [("办法.txt", "全文".encode())])
        )
        [note] = attach(
            session, SUBMISSION, item.id, prepare(session, SUBMISSION, item.id, [("附.txt", b"note")])
        )
    for who in ("housing-handler", "supervisor", "intake"):
        assert access_attachment(session, org.actor(who), doc.id).id == doc.id
        assert [a.id for _k, a in files_of(session, org.actor(who), item.id)] == [note.id, doc.id]
    for row in (doc, note):
        with pytest.raises(NotFound):
            access_attachment(session, org.actor("transport-handler"), row.id)
    with pytest.raises(NotFound):
        files_of(session, org.actor("transport-handler"), item.id)
