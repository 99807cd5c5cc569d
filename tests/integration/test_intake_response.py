"""Intake answers from what it just wrote: the submitter's view is built without re-reading the case's history,
names or identities, and is exactly what the tracking page shows."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from minyi.app import create_app
from minyi.cases.models import Case
from minyi.cases.present import TEXT_PENDING, public_view, registered_view
from minyi.cases.search import TABLE, matching
from minyi.db import reset_caches, session_factory
from minyi.understanding.worker import do_understand
from tests.support.factories import make_org, submit
from tests.web.pages_support import count_queries

SUBMISSIONS = [
    {},
    {"title": "张建国反映电梯", "body": "我是张建国，电话13812345678，住东区幸福里3栋，电梯坏了。",
     "contact": {"name": "张建国", "phone": "13812345678", "address": "东区幸福里3栋"}},
    {"region_code": None, "topic_code": None, "body": "路灯不亮，请尽快修。"},
    {"anonymous": True, "contact": {"phone": "13900001111"}, "body": "13900001111 这是我的电话，噪音扰民。"},
    {"kind": "suggestion", "channel": "hotline", "region_code": "9901"},
]  # fmt: skip


def search_ids(session: Session, words: str) -> list[int]:
    return list(session.scalars(select(Case.id).where(matching(session, words, Case.id))))  # type: ignore[arg-type]


@pytest.mark.parametrize("mode", ["worker", "inline"])
def test_the_answer_to_a_new_submission_equals_the_tracking_view(
    engine: Engine, session: Session, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MINYI_UNDERSTANDING", mode)
    reset_caches()
    make_org(session)
    for over in SUBMISSIONS:
        case = submit(session, **over)
        for english in (False, True):
            fast = registered_view(session, case, english=english).model_dump()
            slow = public_view(session, case, with_code=True, english=english).model_dump()
            if mode == "worker":  # the request masked nothing: the text waits for the understanding job
                pending = TEXT_PENDING[1 if english else 0]
                assert (fast.pop("title"), fast.pop("body")) == (pending, pending)
                slow.pop("title"), slow.pop("body")
            assert fast == slow


def test_with_understanding_in_the_worker_the_request_masks_nothing_and_the_job_masks_it(
    engine: Engine, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MINYI_UNDERSTANDING", "worker")
    reset_caches()
    make_org(session)
    case = submit(session, **SUBMISSIONS[1])
    assert (case.public_title, case.public_body) == (None, None)
    assert "13812345678" not in public_view(session, case, with_code=True).body  # masked as it is read
    assert search_ids(session, "电梯") == []  # not in the word search before its text is masked
    do_understand(session, [case.id])
    session.expire_all()
    assert case.public_body is not None and "13812345678" not in case.public_body
    assert search_ids(session, "电梯") == [case.id]


def test_a_submission_over_http_reads_nothing_back_but_its_row(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MINYI_UNDERSTANDING", "worker")
    reset_caches()
    with session_factory(engine)() as s:
        make_org(s)
    client = TestClient(create_app(engine))
    body = {"kind": "complaint", "channel": "web", "title": "路灯不亮", "body": "东区中山路的路灯坏了一周。",
            "region_code": "990102", "contact": {"name": "李四", "phone": "13800001111"}}  # fmt: skip
    assert client.post("/api/v1/cases", json=body).status_code == 201  # warms the per-database caches
    with count_queries(engine) as statements:
        answer = client.post("/api/v1/cases", json=body)
    assert answer.status_code == 201 and answer.json()["region"] == "东区"
    limit = [
        s for s in statements if "rate_counters" in s
    ]  # the per-address limit, in the intake's transaction:
    assert [s.lstrip().split()[0].upper() for s in limit] == [
        "SELECT",
        "INSERT",
    ]  # the windows read, one upsert
    work = [
        s for s in statements if "procrastinate_defer" not in s and "rate_counters" not in s
    ]  # PostgreSQL: the job commits with the case
    reads = [s for s in work if s.lstrip().upper().startswith("SELECT")]
    # one read: the ids of the submitter and the case, reserved together. The report flag is matched inside its
    # insert, the scoreboard rollup counts the row as inserted, the answer is built from it: nothing read back
    # (9 statements with 5 reads, the answer's in a second transaction; now 6 with 1)
    assert len(reads) <= 1, reads
    writes = [s for s in work if s.lstrip().upper().startswith("INSERT")]
    assert len(writes) <= 5, writes  # submitter, case, first event, report flags, the case's scoreboard facts
    assert not [
        s for s in reads if "case_events" in s or "escalation_notices" in s or "scoreboard_cases" in s
    ]
    assert not any(TABLE in s for s in statements)  # the job masks and indexes the text, not the request
