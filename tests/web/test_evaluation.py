"""Public evaluation over HTTP: supervisors open and close, verified raters rate once, the page shows the spread."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from minyi.db import session_factory
from minyi.evaluation.rules import CRITERION_KEYS
from tests.integration.test_audit_tampering import _replied
from tests.integration.test_evaluation import proposer
from tests.support.factories import PASSWORD, Org
from tests.web.pages_support import csrf_of


def _marks(value: int) -> dict[str, int]:
    return dict.fromkeys(CRITERION_KEYS, value)


def test_the_api_opens_rates_once_and_publishes_the_distribution_when_closed(
    client: TestClient, auth: Any, org: Org, sqlite_engine: Engine
) -> None:
    assert (
        client.post("/api/v1/evaluations", json={"title": "评议"}, headers=auth("housing-head")).status_code
        == 403
    )
    r = client.post("/api/v1/evaluations", json={"title": "2026年度民主评议"}, headers=auth("supervisor"))
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    with session_factory(sqlite_engine)() as s:
        codes = [proposer(s, "deputy") for _ in range(3)]
        tracking = _replied(s, org, "电梯").tracking_code
    rate = f"/api/v1/evaluations/{pid}/ratings"
    for i, code in enumerate(codes):
        body = {"proposer_code": code, "department_id": org.housing.id, "scores": _marks(3 + i % 2)}
        assert client.post(rate, json=body).status_code == 201
    again = client.post(
        rate, json={"proposer_code": codes[0], "department_id": org.housing.id, "scores": _marks(1)}
    )
    assert again.status_code == 409 and again.json()["error"]["field"] == "department_id"
    citizen = {"tracking_code": tracking, "department_id": org.housing.id, "scores": _marks(5)}
    assert client.post(rate, json=citizen).status_code == 201
    unverified = {**citizen, "tracking_code": "ABCD-EFGH-JKMN"}
    assert client.post(rate, json=unverified).status_code == 404
    open_view = client.get(f"/api/v1/evaluations/{pid}").json()
    housing = next(d for d in open_view["results"] if d["department_id"] == org.housing.id)
    assert housing["raters"] == 4 and housing["criteria"] == []  # no marks while the period runs
    assert client.post(f"/api/v1/evaluations/{pid}/close", headers=auth("supervisor")).status_code == 200
    assert client.post(rate, json={**citizen, "tracking_code": tracking}).status_code == 409
    closed = client.get(f"/api/v1/evaluations/{pid}").json()
    housing = next(d for d in closed["results"] if d["department_id"] == org.housing.id)
    service = housing["criteria"][0]
    assert housing["published"] and housing["by_kind"] == {"deputy": 3, "citizen": 1}
    assert service["counts"] == {"1": 0, "2": 0, "3": 2, "4": 1, "5": 1} and service["mean"] == 3.75


def test_the_pages_take_a_rating_and_refuse_an_unverified_one(
    client: TestClient, auth: Any, org: Org, sqlite_engine: Engine
) -> None:
    from tests.web.pages_support import sign_in

    sign_in(client, "supervisor", PASSWORD)
    staff = client.get("/staff/evaluation", follow_redirects=False)
    assert staff.status_code == 200 and 'id="staff-evaluations"' in staff.text
    r = client.post("/staff/evaluation", data={"csrf_token": csrf_of(staff.text), "title": "年度评议"},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    pid = client.get("/api/v1/evaluations").json()[0]["id"]
    with session_factory(sqlite_engine)() as s:
        tracking = _replied(s, org, "电梯").tracking_code
    page = client.get(f"/evaluation/{pid}")
    assert 'id="rate-form"' in page.text and "服务态度" in page.text
    form = {"csrf_token": csrf_of(page.text), "code_kind": "case", "code": tracking,
            "department_id": str(org.housing.id), **{f"score_{k}": "4" for k in CRITERION_KEYS}}  # fmt: skip
    bad = client.post(f"/evaluation/{pid}/rate", data={**form, "code": "ABCD-EFGH-JKMN"})
    assert bad.status_code == 422 and 'id="f-code-error"' in bad.text
    ok = client.post(f"/evaluation/{pid}/rate", data=form, follow_redirects=False)
    assert ok.status_code == 303 and ok.headers["location"] == f"/evaluation/{pid}?done=1"
    twice = client.post(f"/evaluation/{pid}/rate", data=form)
    assert twice.status_code == 409 and "已评议过" in twice.text
    assert "民主评议" in client.get("/evaluation").text
