"""An organisation member in headless Chromium: signs in to the organisation's page, submits a person's demand
with the record of their consent, follows its status, reads the unit's reply and judges it on the person's behalf."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from tests.browser.test_flows import GOOD_REPLY, PASSWORD, dispatch_and_sign_for, sign_out


def _member_signs_in(page: Any) -> None:
    page.goto("/staff/login")
    page.fill("#f-username", "union-member")
    page.fill("#f-password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/org")


def test_a_member_submits_with_consent_follows_the_reply_and_rates_on_behalf(page: Any) -> None:
    title = f"职工宿舍停水 {uuid.uuid4().hex[:6]}"
    _member_signs_in(page)
    page.select_option("#f-kind", "help")
    page.fill("#f-title", title)
    page.fill("#f-body", "幸福路职工宿舍连续三天停水，王师傅家中有卧床老人，请尽快恢复供水。")
    page.fill("#f-consent_person", "王师傅")
    page.select_option("#f-consent_way", "oral")
    page.fill("#f-consent_on", date.today().isoformat())
    page.click("form.card button[type=submit]", no_wait_after=True)
    page.wait_for_url("**/org?done=submit", timeout=60_000)  # the first submission loads the text models
    page.click(f"a:has-text('{title}')")
    assert page.inner_text("#case-status") == "已登记"
    case_url = page.url
    page.click("text=退出登录")
    page.wait_for_url("**/staff/login")

    dispatch_and_sign_for(page, title)
    page.fill("#f-reply", GOOD_REPLY)
    page.click("#act-reply button[type=submit]")
    page.wait_for_url("**done=reply**")
    sign_out(page)

    _member_signs_in(page)
    page.goto(case_url)
    assert page.inner_text("#case-status") == "已答复"
    assert "恢复照明" in page.inner_text("#reply")
    page.select_option("#f-evaluation", "satisfied")
    page.check("input[name=asked]")
    page.click("#rate button[type=submit]")
    page.wait_for_url("**done=evaluate")
    assert page.inner_text("#case-status") == "已办结"
