"""The reporter's flow in headless Chromium (JavaScript on and off): report, keep the receipt, read the
inspector's question, answer it."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

PASSWORD = "minyi-demo-2026"


@pytest.fixture(params=["js", "nojs"])
def any_page(request: pytest.FixtureRequest) -> Any:
    return request.getfixturevalue("page" if request.param == "js" else "nojs_page")


def test_reporter_reports_follows_and_answers_the_inspector(any_page: Any) -> None:
    page = any_page
    what = f"窗口工作人员收取加急费 {uuid.uuid4().hex[:6]}"
    page.goto("/")
    page.click("nav a:has-text('我要举报')")
    page.select_option("#f-department_id", index=1)
    page.fill("#f-what", what + "，每件收两百元，不开收据。")
    page.fill("#f-passphrase", "my report passphrase")
    page.fill("#f-passphrase2", "my report passphrase")
    page.click("button:has-text('提交举报')")
    page.wait_for_url("**/report/done")
    receipt = page.inner_text("#receipt").strip()
    assert len(receipt.replace("-", "")) == 20

    api = page.request
    token = api.post("/api/v1/auth/token", data={"username": "inspector", "password": PASSWORD}).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    queue = api.get("/api/v1/discipline/reports", headers=headers).json()
    (mine,) = [r for r in queue if r["what"].startswith(what)]
    asked = api.post(f"/api/v1/discipline/reports/{mine['id']}/messages", headers=headers,
                     data={"body": "请问是哪个窗口？"})  # fmt: skip
    assert asked.ok

    page.goto("/report/follow")
    page.fill("#f-receipt", receipt)
    page.fill("#f-passphrase", "my report passphrase")
    page.click("button:has-text('查看')")
    page.wait_for_url("**/report/view")
    assert page.inner_text("#report-status") == "已受理"
    assert page.is_visible("text=请问是哪个窗口？")
    page.fill("#f-body", "三号窗口")
    page.click("button:has-text('发送')")
    page.wait_for_url("**/report/view")
    assert page.is_visible("text=三号窗口")
