"""The JSON intake `POST /api/v1/cases` is limited per address like the portal's form (one allowance for both
doors, in `rate_counters`): a flood from one address gets the structured 429 with Retry-After and writes no
case, while a citizen sending a few demands, another address, and staff registering calls are never held up."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from minyi.app import create_app
from minyi.cases.models import Case
from minyi.db import reset_caches
from minyi.ratelimit.models import RateCounter
from tests.support.factories import PASSWORD, make_org

DEMAND = {"kind": "complaint", "channel": "web", "title": "路灯不亮", "region_code": "990102",
          "body": "东区中山路12号门口的路灯坏了一周，晚上很黑，请尽快修理。"}  # fmt: skip


def _client(engine: Engine, address: str) -> TestClient:
    return TestClient(create_app(engine), client=(address, 40000))


def _cases(session: Session) -> int:
    n = session.scalar(select(func.count()).select_from(Case))
    session.rollback()
    return int(n or 0)


def _demand(i: int) -> dict[str, Any]:
    return {**DEMAND, "title": f"{DEMAND['title']}{i}"}


def _city_allowing(per_hour: int, session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MINYI_PUBLIC_SUBMISSIONS_PER_HOUR", str(per_hour))
    reset_caches()
    make_org(session)


def test_a_flood_from_one_address_is_refused_and_writes_nothing(
    engine: Engine, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    _city_allowing(3, session, monkeypatch)
    flooder = _client(engine, "203.0.113.66")
    answers = [flooder.post("/api/v1/cases", json=_demand(i)) for i in range(6)]
    assert [a.status_code for a in answers] == [201] * 3 + [429] * 3
    refused = answers[-1]
    error = refused.json()["error"]
    assert error["code"] == "rate_limited" and error["field"] == "body"
    assert "提交过于频繁" in error["message"] and error["message_en"].startswith("too many submissions")
    assert int(refused.headers["retry-after"]) > 0
    assert _cases(session) == 3  # the refused ones wrote no case
    counted = session.scalar(select(func.sum(RateCounter.count)))
    session.rollback()
    assert counted == 3  # and took no place in the limit
    # another address is not held up; a misconduct report from the flooder is refused too (one allowance)
    assert _client(engine, "198.51.100.20").post("/api/v1/cases", json=_demand(9)).status_code == 201
    report = {**DEMAND, "kind": "report", "body": "某局某科长收受好处费，为开发商违规审批。"}
    assert flooder.post("/api/v1/cases", json=report).status_code == 429


def test_a_flood_varying_its_ipv6_address_or_forwarded_header_is_refused_all_the_same(
    engine: Engine, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    _city_allowing(2, session, monkeypatch)
    sent = [  # one machine's /64 (each request from another address in it), an X-Forwarded-For from no proxy
        _client(engine, f"2001:db8:5:6::{i:x}").post(
            "/api/v1/cases", json=_demand(i), headers={"X-Forwarded-For": f"198.51.100.{i}"}
        )
        for i in range(1, 5)
    ]
    assert [a.status_code for a in sent] == [201, 201, 429, 429]
    assert _client(engine, "::ffff:203.0.113.9").post("/api/v1/cases", json=_demand(7)).status_code == 201
    assert _client(engine, "203.0.113.9").post("/api/v1/cases", json=_demand(8)).status_code == 201
    assert (
        _client(engine, "203.0.113.9").post("/api/v1/cases", json=_demand(9)).status_code == 429
    )  # the same
    assert _client(engine, "2001:db8:5:7::1").post("/api/v1/cases", json=_demand(10)).status_code == 201
    assert _cases(session) == 5


def test_staff_registering_calls_are_not_counted_against_their_address(
    engine: Engine, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    _city_allowing(1, session, monkeypatch)
    office = _client(engine, "203.0.113.80")
    assert office.post("/api/v1/cases", json=_demand(0)).status_code == 201
    assert office.post("/api/v1/cases", json=_demand(1)).status_code == 429
    token = office.post("/api/v1/auth/token", json={"username": "intake", "password": PASSWORD}).json()
    staff = {"Authorization": f"Bearer {token['access_token']}"}
    for i in range(3):  # an intake desk behind the same address registers phone calls all day
        assert office.post("/api/v1/staff/cases", json=_demand(10 + i), headers=staff).status_code == 201


def test_a_citizen_sending_a_few_demands_and_retrying_one_is_never_limited(
    engine: Engine, session: Session
) -> None:
    make_org(session)
    citizen = _client(engine, "198.51.100.7")
    for i in range(5):
        assert citizen.post("/api/v1/cases", json=_demand(i)).status_code == 201
    retry = {"Idempotency-Key": "k-1"}
    first = citizen.post("/api/v1/cases", json=_demand(7), headers=retry)
    again = citizen.post("/api/v1/cases", json=_demand(7), headers=retry)
    assert (first.status_code, again.status_code) == (201, 200)
    assert _cases(session) == 6


def test_the_limit_can_be_turned_off_for_a_load_test_from_one_machine(
    engine: Engine, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    _city_allowing(0, session, monkeypatch)
    loader = _client(engine, "127.0.0.1")
    assert all(loader.post("/api/v1/cases", json=_demand(i)).status_code == 201 for i in range(4))
    assert session.scalar(select(func.count()).select_from(RateCounter)) == 0


def test_a_place_taken_by_another_process_after_the_read_rolls_the_submission_back(
    engine: Engine, session: Session
) -> None:
    """The count is written in the intake's own transaction: a racing process that took the last place since the
    read makes the whole submission refuse (429), with no case and no count left half-written."""
    from minyi.db import session_factory
    from minyi.errors import RateLimited
    from minyi.intake.actions import do_submit_case
    from minyi.ratelimit.counters import Limit, attempt
    from minyi.ratelimit.joined import refuse_or_count_with_next_write
    from tests.support.factories import submission

    make_org(session)
    one = Limit("public:submit", 1, 3600, anonymous=True)
    refuse_or_count_with_next_write(session, one, "203.0.113.5", "满{wait}", "full {wait}", field="body")
    with session_factory(engine)() as other:  # another process, between this one's read and its write
        assert attempt(other, one, "203.0.113.5") == 0
    with pytest.raises(RateLimited) as refused:
        do_submit_case(session, submission())
    assert refused.value.field == "body" and int(refused.value.headers["Retry-After"]) > 0
    assert _cases(session) == 0
    assert session.scalar(select(func.sum(RateCounter.count))) == 1


FORM = {"kind": "complaint", "title": "幸福路路灯不亮", "body": "幸福路与人民路口的路灯坏了一个月，晚上很黑。",
        "visibility": "public", "consent": "1"}  # fmt: skip


def test_the_portal_form_shares_the_allowance_and_counts_in_the_demands_own_write(
    engine: Engine, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The form's place is counted in the transaction that registers the demand, as the JSON intake's is: one
    transaction per submission (it was three: the read, a bookkeeping write, the demand), and one allowance."""
    from sqlalchemy import event

    from tests.web.pages_support import csrf_of

    monkeypatch.setenv("MINYI_UNDERSTANDING", "worker")  # no reads of its own before the write
    _city_allowing(2, session, monkeypatch)
    browser = _client(engine, "203.0.113.70")
    token = csrf_of(browser.get("/submit").text)
    begun: list[object] = []

    def began(conn: object) -> None:
        begun.append(conn)

    event.listen(engine, "begin", began)
    try:
        sent = browser.post("/submit", data={**FORM, "csrf_token": token}, follow_redirects=False)
    finally:
        event.remove(engine, "begin", began)
    assert sent.status_code == 303 and len(begun) == 1
    assert browser.post("/api/v1/cases", json=_demand(1)).status_code == 201  # the second and last place
    again = browser.post(
        "/submit", data={**FORM, "title": "另一件事", "csrf_token": token}, follow_redirects=False
    )
    assert again.status_code == 429 and "提交过于频繁" in again.text
    assert _cases(session) == 2
    assert session.scalar(select(func.sum(RateCounter.count))) == 2


def test_a_driver_error_in_the_limits_statements_is_the_structured_500_with_nothing_written(
    engine: Engine, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The read and the upsert go straight to the driver (its own exception classes, not SQLAlchemy's): a failure
    of either still leaves as the structured error, with no case and no count written."""
    from minyi.ratelimit import counters

    _city_allowing(5, session, monkeypatch)
    real = counters._run

    for failing in (counters._READ, counters._UPSERT):

        def broken(
            dbapi: Any, dialect: str, statement: str, params: dict[str, Any], failing: str = failing
        ) -> Any:
            if statement == failing:
                raise engine.dialect.dbapi.OperationalError("disk I/O error")  # type: ignore[union-attr]
            return real(dbapi, dialect, statement, params)

        monkeypatch.setattr(counters, "_run", broken)
        client = TestClient(
            create_app(engine), client=("198.51.100.44", 40000), raise_server_exceptions=False
        )
        answer = client.post("/api/v1/cases", json=_demand(1))
        assert answer.status_code == 500 and answer.json()["error"]["code"] == "server_error"
        assert "Traceback" not in answer.text and "disk I/O" not in answer.text
        assert _cases(session) == 0
        monkeypatch.setattr(counters, "_run", real)
    assert _client(engine, "198.51.100.44").post("/api/v1/cases", json=_demand(2)).status_code == 201
    assert session.scalar(select(func.sum(RateCounter.count))) == 1


def test_misconduct_reports_steered_away_take_places_in_the_allowance_too(
    engine: Engine, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    _city_allowing(2, session, monkeypatch)
    client = _client(engine, "203.0.113.91")
    report = {**DEMAND, "kind": "report", "body": "某局某科长收受好处费，为开发商违规审批。"}
    answers = [
        client.post("/api/v1/cases", json={**report, "title": f"举报{i}"}).status_code for i in range(3)
    ]
    assert answers == [202, 202, 429]
    assert client.post("/api/v1/cases", json=_demand(1)).status_code == 429
