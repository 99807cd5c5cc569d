"""The reporter's pages: report, receipt shown once, follow with receipt and passphrase, answer the inspectors."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from tests.support.factories import Org
from tests.web.pages_support import csrf_of

RECEIPT = re.compile(r'id="receipt">([0-9A-Z-]+)<')
WHAT = "某科长在审批中索要好处费"


def _post(client: TestClient, page: str, action: str, data: dict[str, Any]) -> Any:
    token = csrf_of(client.get(page).text)
    return client.post(action, data={**data, "csrf_token": token}, follow_redirects=False)


def _report(client: TestClient, org: Org, **extra: Any) -> Any:
    data = {"department_id": str(org.housing.id), "what": WHAT, "passphrase": "reporter secret 1",
            "passphrase2": "reporter secret 1", **extra}  # fmt: skip
    return _post(client, "/report", "/report", data)


def test_reporter_reports_gets_the_receipt_once_and_follows(client: TestClient, org: Org, auth: Any) -> None:
    page = client.get("/report")
    assert page.status_code == 200 and "住建局" in page.text and "不记录您的IP地址" in page.text
    r = _report(client, org)
    assert r.status_code == 303 and r.headers["location"] == "/report/done"
    done = client.get("/report/done")
    receipt = RECEIPT.search(done.text).group(1)  # type: ignore[union-attr]
    assert done.headers["cache-control"] == "no-store"
    assert RECEIPT.search(client.get("/report/done", follow_redirects=False).text) is None  # shown once
    bad = _post(client, "/report/follow", "/report/follow", {"receipt": receipt, "passphrase": "wrong one!"})
    assert bad.status_code == 404 and "受理回执或密码不正确" in bad.text
    ok = _post(
        client, "/report/follow", "/report/follow", {"receipt": receipt, "passphrase": "reporter secret 1"}
    )
    assert ok.status_code == 303
    view = client.get("/report/view")
    assert "已受理" in view.text and receipt not in view.text
    assert _post(client, "/report/view", "/report/messages", {"body": "补充：时间是十月"}).status_code == 303
    assert "补充：时间是十月" in client.get("/report/view").text


def test_report_form_shows_each_problem_next_to_its_field(client: TestClient, org: Org) -> None:
    r = _report(client, org, what="太短", passphrase2="different")
    assert r.status_code == 422 and "两次输入的密码不一致" in r.text
    r = _report(client, org, what="太短")
    assert r.status_code == 422 and 'id="f-what-error"' in r.text
    r = _report(client, org, named="yes", name="孙某")  # no office key yet: refused clearly, nothing written
    assert r.status_code == 422 and "暂不能受理实名举报" in r.text


def test_follow_pages_without_a_verified_receipt_go_back_to_the_form(client: TestClient) -> None:
    assert client.get("/report/view", follow_redirects=False).headers["location"] == "/report/follow"
    client.cookies.set("minyi_report", "forged.value", path="/report")
    assert client.get("/report/view", follow_redirects=False).headers["location"] == "/report/follow"
