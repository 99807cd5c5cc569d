"""建议提案 in headless Chromium, JavaScript on and off: the office registers and assigns, the unit records a
contact and answers (B), the deputy judges 不满意 on their own page, the unit answers again."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from tests.browser.test_flows import sign_in, sign_out

ANSWER = "经研究，我局已将该路段路灯改造纳入今年城市照明提升计划，计划分两期实施，第一期于9月底前完成，届时向代表书面报告进展。"


@pytest.fixture(params=["js", "nojs"])
def any_page(request: pytest.FixtureRequest) -> Any:
    return request.getfixturevalue("page" if request.param == "js" else "nojs_page")


def _step(page: Any, name: str) -> None:
    page.click(f"#act-{name} button[type=submit]")
    page.wait_for_url(f"**done={name}")


def test_office_unit_and_deputy_take_a_suggestion_to_its_second_answer(any_page: Any) -> None:
    page = any_page
    subject = f"关于改善幸福路照明的建议 {uuid.uuid4().hex[:6]}"
    sign_in(page, "intake")
    page.click("nav >> text=建议提案")
    page.click("text=登记建议提案")
    page.select_option("#f-kind", "deputy_suggestion")
    page.fill("#f-session", "明川市第十五届人民代表大会第三次会议")
    page.fill("#f-number", str(500 + int(uuid.uuid4().int % 9000)))
    page.fill("#f-pname", "孙代表")
    page.fill("#f-subject", subject)
    page.fill("#f-body", "幸福路夜间照明不足，群众出行不便。")
    page.click("button:has-text('登记')")
    code = page.inner_text("#proposer-code").strip()
    page.click("text=查看并办理")
    _step(page, "accept")
    page.select_option("#f-lead_unit_id", label="市城市管理局")
    _step(page, "assign")
    assert page.inner_text("#item-status") == "已交办"
    url = page.url.split("?")[0]
    sign_out(page)

    sign_in(page, "cgj-handler")
    page.goto(url)
    page.select_option("#f-way", "meeting")
    page.fill("#f-on", date.today().isoformat())
    page.fill("#f-who", "孙代表")
    page.fill("#f-summary", "面商照明改造方案，代表希望年内完成")
    _step(page, "contact")
    assert page.locator("#act-answer").count() == 0  # only the unit's head signs the answer
    assert (
        page.locator("#experts form.expert-invite").count() == 1
    )  # the unit may ask an expert from the item
    sign_out(page)

    sign_in(page, "cgj-head")
    page.goto(url)
    page.select_option("#f-cat", "B")
    page.fill("#f-text", ANSWER)
    page.fill("#f-plan", "分两期实施路灯改造")
    page.fill("#f-plan-date", (date.today() + timedelta(days=120)).isoformat())
    _step(page, "answer")
    assert page.inner_text("#item-status") == "已答复"
    sign_out(page)

    page.goto("/suggestions/mine")
    page.fill("#f-code", code)
    page.click("button:has-text('查看')")
    page.wait_for_url("**/suggestions/mine")
    assert ANSWER in page.content()
    page.check("input[name=satisfaction][value=unsatisfied]")
    page.fill("textarea[name=comment]", "希望加快进度")
    page.click("button:has-text('提交评价')")
    page.wait_for_url("**done=evaluate")
    assert "再次办理" in page.content()
    page.click("button:has-text('退出')")

    sign_in(page, "cgj-head")
    page.goto(url)
    page.select_option("#f-cat", "A")
    page.fill("#f-text", ANSWER)
    _step(page, "answer")
    assert "第2次答复" in page.content()
    page.goto("/suggestions")
    assert subject in page.content()
