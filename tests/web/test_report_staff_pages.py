"""The inspectors' pages: the queue, questions, and unsealing with a second inspector's approval; others see nothing."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.support.factories import PASSWORD, Org
from tests.web.pages_support import csrf_of
from tests.web.test_reports import MARK, NAME, OFFICE_PASS, _get_routes, _office_key, _report


def _sign_in(client: TestClient, username: str) -> None:
    client.cookies.clear()
    token = csrf_of(client.get("/staff/login").text)
    r = client.post("/staff/login", data={"username": username, "password": PASSWORD, "csrf_token": token,
                                          "next": "/staff"}, follow_redirects=False)  # fmt: skip
    assert r.status_code == 303, r.text


def _post(client: TestClient, page: str, action: str, data: dict[str, Any]) -> Any:
    return client.post(
        action, data={**data, "csrf_token": csrf_of(client.get(page).text)}, follow_redirects=False
    )


def test_inspectors_work_a_report_in_the_workbench_and_unseal_with_approval(
    client: TestClient, org: Org, inspectors: None, auth: Any
) -> None:
    _office_key(client, auth)
    _report(client, org, named=True)
    for outsider in ["housing-head", "admin", "supervisor", "housing-inspector"]:
        _sign_in(client, outsider)
        assert MARK not in client.get("/staff/reports").text
        assert client.get("/staff/reports/1").status_code == 404
        for path in _get_routes(client):  # every page, API route, export and statistic, signed in
            body = client.get(path, params={"q": "副局长", "queue": "all"}).content.decode("utf-8", "replace")
            assert MARK not in body and "副局长李某某" not in body, (outsider, path)
    _sign_in(client, "inspector")
    assert "举报 #1" in client.get("/staff/reports").text
    page = "/staff/reports/1"
    assert MARK in client.get(page).text and NAME not in client.get(page).text
    assert _post(client, page, "/staff/reports/1/messages", {"body": "请补充时间"}).status_code == 303
    assert (
        _post(client, page, "/staff/reports/1/unseal-requests", {"reason": "需当面核实"}).status_code == 303
    )
    assert 'action="/staff/reports/unseal-requests/1/decision"' not in client.get(page).text  # not one's own
    r = _post(client, page, "/staff/reports/unseal-requests/1/identity", {"passphrase": OFFICE_PASS})
    assert "error=" in r.headers["location"]  # not approved yet
    _sign_in(client, "inspector2")
    r = _post(client, page, "/staff/reports/unseal-requests/1/decision", {"approve": "yes", "reason": "同意"})
    assert r.status_code == 303 and "error" not in r.headers["location"]
    _sign_in(client, "inspector")
    opened = _post(client, page, "/staff/reports/unseal-requests/1/identity", {"passphrase": OFFICE_PASS})
    assert opened.status_code == 200 and NAME in opened.text and opened.headers["cache-control"] == "no-store"
    again = _post(client, page, "/staff/reports/unseal-requests/1/identity", {"passphrase": OFFICE_PASS})
    assert again.status_code == 303 and NAME not in again.text
