"""Every core flow in headless Chromium, with JavaScript on and off: citizen, handler, supervisor."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

PASSWORD = "minyi-demo-2026"
DEPT = "市城市管理局"


GOOD_REPLY = (
    "经现场核查，幸福路与人民路口的路灯灯具老化损坏。我局已于今日安排人员更换灯具，今晚恢复照明；"
    "根据《城市道路照明设施管理办法》，今后每月巡查一次该路口的路灯。"
)


def sign_in(page: Any, username: str) -> None:
    """Sign in through the form."""
    page.goto("/staff/login")
    page.fill("#f-username", username)
    page.fill("#f-password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/staff")


def sign_out(page: Any) -> None:
    page.click("text=退出登录")
    page.wait_for_url("**/staff/login")


def dispatch_and_sign_for(page: Any, title: str) -> None:
    """Intake accepts the case and assigns it to DEPT; that department's handler signs for it (left on its page)."""
    sign_in(page, "intake")
    page.goto(f"/staff?view=dispatch&q={title}")
    page.click(f"a:has-text('{title}')")
    page.click("#act-accept button")
    page.wait_for_url("**done=accept**")
    page.select_option("#f-dept", label=DEPT)
    page.click("#act-assign button[type=submit]")
    page.wait_for_url("**done=assign**")
    sign_out(page)
    sign_in(page, "cgj-handler")
    page.click(f"a:has-text('{title}')")
    page.click("#act-sign_for button")
    page.wait_for_url("**done=sign_for**")


@pytest.fixture(params=["js", "nojs"])
def any_page(request: pytest.FixtureRequest) -> Any:
    """The same test with JavaScript on and with it off."""
    return request.getfixturevalue("page" if request.param == "js" else "nojs_page")


def test_citizen_submits_staff_handle_and_citizen_evaluates(any_page: Any) -> None:
    page = any_page
    title = f"路灯不亮 {uuid.uuid4().hex[:6]}"
    page.goto("/")
    page.click("a.button:has-text('开始留言')")
    page.select_option("#f-kind", "complaint")
    page.fill("#f-title", title)
    page.fill("#f-body", "幸福路与人民路口的路灯坏了一个月，晚上很黑，老人走路容易摔倒。")
    page.check("#f-consent")
    page.click("button:has-text('提交')")
    page.wait_for_url("**/submit/done")
    code = page.inner_text("#tracking-code").strip()
    assert len(code) == 14
    page.click("button:has-text('查看进度')")
    page.wait_for_url("**/track/case")
    assert page.inner_text("#case-status") == "已登记"

    dispatch_and_sign_for(page, title)
    page.fill("#f-reply", "已安排人员更换灯具，今晚恢复照明。")
    page.click("#act-reply button[type=submit]")
    assert "答复可能不够充分" in page.content()  # the quality check warns before a weak reply goes out
    page.fill("#f-reply", GOOD_REPLY)
    page.click("#act-reply button[type=submit]")
    page.wait_for_url("**done=reply**")
    assert page.inner_text("#case-status") == "已答复"
    sign_out(page)

    page.goto("/track")
    page.fill("#f-code", code)
    page.click("form button[type=submit]")
    page.wait_for_url("**/track/case")
    assert "今晚恢复照明" in page.inner_text("#case-reply")
    page.check("input[name=evaluation][value=satisfied]")
    page.click("button:has-text('提交评价')")
    page.wait_for_url("**/track/case?ok=evaluated")
    assert page.inner_text("#case-status") == "已办结"


def test_supervisor_sees_the_late_case_and_issues_a_notice(any_page: Any) -> None:
    page = any_page
    sign_in(page, "supervisor")
    page.click("a:has-text('督办看板')")
    page.wait_for_url("**/staff/board")
    late = page.locator("li.late-case")
    assert late.count() > 0, "the demo city should have late cases"
    first_title = late.first.locator("h3").inner_text()
    late.first.locator("button").click()
    page.wait_for_url("**/staff/board?done=supervise")
    assert "督办" in page.inner_text(".flash")
    page.click(f"a:has-text('{first_title}')")
    assert "督办" in page.inner_text("#h-history + ol")


def test_english_switch(any_page: Any) -> None:
    page = any_page
    page.goto("/")
    page.click("a:has-text('English')")
    assert page.get_attribute("html", "lang") == "en"
    assert page.locator("h1").inner_text() == "Tell the government what you need"
    page.goto("/submit")
    assert "Submit a demand" in page.inner_text("h1")
    page.click("a:has-text('中文')")
    assert page.get_attribute("html", "lang") == "zh-CN"


def test_validation_messages_sit_next_to_the_fields(any_page: Any) -> None:
    page = any_page
    page.goto("/submit")
    page.click("button:has-text('提交')")
    assert "请选择诉求类型" in page.inner_text("#f-kind-error")
    assert "请确认内容属实" in page.inner_text("#f-consent-error")
    assert page.get_attribute("#f-title", "aria-invalid") == "true"


def test_public_filters_work_with_htmx(page: Any) -> None:
    page.goto("/cases")
    page.select_option("#f-kind", "complaint")
    page.wait_for_url("**kind=complaint**")
    assert page.locator("#results").count() == 1
    page.goto("/scoreboard")
    page.wait_for_selector("#chart-rates svg")


def test_the_text_counter_says_when_a_paste_is_too_long(page: Any) -> None:
    page.goto("/submit")
    page.fill("#f-body", "幸福路路灯")
    assert "5 / 10000" in page.inner_text("#f-body-count")
    page.fill("#f-body", "长" * 10_005)  # nothing is cut: the whole paste stays, and the counter says so
    assert len(page.input_value("#f-body")) == 10_005
    assert "已超出上限 5 字" in page.inner_text("#f-body-count")


def test_handlers_find_new_cases_to_sign_for_first(page: Any) -> None:
    sign_in(page, "cgj-handler")
    assert page.locator("a[aria-current=page]").first.inner_text() == "待签收"
