"""Promises of trust that broke under attack, each kept by a test: anonymity, versions, the writer, the citizen's
own actions."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from minyi.cases.models import CaseEvent
from minyi.db import session_factory
from minyi.settings import get_settings
from tests.support.factories import Org
from tests.web.test_api import GOOD_REPLY, SUB, _staff_id, _submit


def _assigned(client: TestClient, auth: Any, org: Org, **over: Any) -> tuple[str, int]:
    code = _submit(client, **over)["tracking_code"]
    cid = _staff_id(client, auth, code)
    assert (
        client.post(f"/api/v1/staff/cases/{cid}/accept", json={}, headers=auth("intake")).status_code == 200
    )
    r = client.post(
        f"/api/v1/staff/cases/{cid}/assign", json={"department_id": org.housing.id}, headers=auth("intake")
    )
    assert r.status_code == 200, r.text
    return code, cid


def test_the_department_never_sees_an_anonymous_submitters_contact(
    client: TestClient, auth: Any, org: Org
) -> None:
    contact = {"name": "王小明", "phone": "13912345678", "email": "wxm@example.com",
               "id_number": "110105196803150038", "address": "湖滨路18号"}  # fmt: skip
    _code, cid = _assigned(client, auth, org, anonymous=True, contact=contact)
    for user in ("housing-handler", "housing-head"):
        seen = client.get(f"/api/v1/staff/cases/{cid}", headers=auth(user))
        assert seen.status_code == 200 and seen.json()["contact"] is None
        assert not any(v in seen.text for v in contact.values())
    # those who call back still may, and a submitter who did not ask for anonymity is reachable by the department
    assert client.get(f"/api/v1/staff/cases/{cid}", headers=auth("intake")).json()["contact"]["phone"]
    _code, named = _assigned(client, auth, org, contact=contact)
    assert client.get(f"/api/v1/staff/cases/{named}", headers=auth("housing-handler")).json()["contact"]


def test_a_stale_version_is_refused_by_every_action_alike(client: TestClient, auth: Any, org: Org) -> None:
    cid = _staff_id(client, auth, _submit(client)["tracking_code"])
    version = client.get(f"/api/v1/staff/cases/{cid}", headers=auth("intake")).json()["version"]
    stale = {**auth("intake"), "If-Match": str(version - 1)}
    for path, body in (("correction", {"topic_code": "01"}), ("notes", {"reason": "x"}), ("accept", {})):
        r = client.post(f"/api/v1/staff/cases/{cid}/{path}", json=body, headers=stale)
        assert r.status_code == 409 and r.json()["error"]["field"] == "version", (path, r.text)
    after = client.get(f"/api/v1/staff/cases/{cid}", headers=auth("intake")).json()
    assert after["version"] == version and after["status"] == "registered"  # nothing half-written


def test_staff_never_see_the_tracking_code_except_when_registering(
    client: TestClient, auth: Any, org: Org
) -> None:
    call = {**SUB, "channel": "hotline"}
    registered = client.post("/api/v1/staff/cases", json=call, headers=auth("intake"))
    assert (
        registered.status_code == 201 and registered.json()["tracking_code"]
    )  # read out to the caller, once
    cid = registered.json()["id"]
    for user in ("intake", "supervisor", "admin"):
        assert client.get(f"/api/v1/staff/cases/{cid}", headers=auth(user)).json()["tracking_code"] is None
    queue = client.get("/api/v1/staff/queue", params={"queue": "all"}, headers=auth("intake")).json()
    assert all(item["tracking_code"] is None for item in queue["items"])


def test_staff_credentials_cannot_evaluate_or_withdraw_and_the_record_names_the_citizen(
    client: TestClient, auth: Any, org: Org, sqlite_engine: Engine
) -> None:
    code, cid = _assigned(client, auth, org)
    client.post(f"/api/v1/staff/cases/{cid}/sign-for", json={}, headers=auth("housing-handler"))
    client.post(
        f"/api/v1/staff/cases/{cid}/reply", json={"text": GOOD_REPLY}, headers=auth("housing-handler")
    )
    for user in ("housing-handler", "admin"):
        r = client.post(
            f"/api/v1/cases/{code}/evaluation", json={"evaluation": "satisfied"}, headers=auth(user)
        )
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
        r = client.post(f"/api/v1/cases/{code}/withdrawal", json={}, headers=auth(user))
        assert r.status_code == 403
    assert client.get(f"/api/v1/cases/{code}").json()["status"] == "replied"  # nothing happened
    r = client.post(f"/api/v1/cases/{code}/evaluation", json={"evaluation": "satisfied"})
    assert r.status_code == 200 and r.json()["status"] == "closed"
    with session_factory(sqlite_engine)() as s:
        last = s.scalar(select(CaseEvent).where(CaseEvent.case_id == cid).order_by(CaseEvent.seq.desc()))
        assert last is not None and (last.action, last.actor_role, last.actor_id) == (
            "evaluate",
            "citizen",
            None,
        )


def test_refused_writes_in_parallel_never_leave_the_writer_locked(
    client: TestClient, auth: Any, org: Org
) -> None:
    """Hundreds of concurrent refused writes of every kind; then submissions still go through at once."""
    code, cid = _assigned(client, auth, org)
    unknown = "0000-0000-0001"  # well formed shape, no such case
    h, t = auth("housing-handler"), auth("transport-handler")
    refused: list[tuple[str, str, dict[str, Any], dict[str, str]]] = [
        ("post", f"/api/v1/cases/{unknown}/evaluation", {"evaluation": "satisfied"}, {}),
        ("post", f"/api/v1/cases/{code}/evaluation", {"evaluation": "satisfied"}, {}),  # not replied yet
        ("post", f"/api/v1/cases/{unknown}/withdrawal", {}, {}),
        ("post", f"/api/v1/cases/{code}/evaluation", {"evaluation": "satisfied"}, h),  # staff credentials
        ("post", f"/api/v1/staff/cases/{cid}/reply", {"text": GOOD_REPLY}, t),  # not theirs: 404
        ("post", f"/api/v1/staff/cases/{cid}/accept", {}, {**auth("intake"), "If-Match": "1"}),  # stale
        ("post", f"/api/v1/staff/cases/{cid}/accept", {}, auth("intake")),  # wrong state
        ("post", "/api/v1/staff/cases/99999999999999999999/accept", {}, auth("intake")),  # huge id
        ("post", "/api/v1/cases", {**SUB, "region_code": "123456"}, {}),  # unknown region
    ]
    jobs = [refused[i % len(refused)] for i in range(300)]

    def send(job: tuple[str, str, dict[str, Any], dict[str, str]]) -> int:
        method, url, body, headers = job
        return int(getattr(client, method)(url, json=body, headers=headers).status_code)

    with ThreadPoolExecutor(16) as pool:
        statuses = list(pool.map(send, jobs))
    assert all(400 <= s < 500 for s in statuses), sorted(set(statuses))
    done: list[float] = []
    get_settings().public_submissions_per_hour = (
        0  # the refused submissions above counted against the address
    )

    def submit_many() -> None:
        for i in range(20):
            start = time.monotonic()
            assert client.post("/api/v1/cases", json={**SUB, "title": f"路灯{i}"}).status_code == 201
            done.append(time.monotonic() - start)

    worker = threading.Thread(target=submit_many, daemon=True)
    worker.start()
    worker.join(timeout=60)
    assert len(done) == 20, "submissions hung behind a writer lock left held"
