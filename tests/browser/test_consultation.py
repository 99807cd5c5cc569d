"""The participant's flow on the demo consultation, with JavaScript on and off, and axe on its page."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from tests.browser.conftest import describe, screenshot, serious_axe_violations


@pytest.fixture(params=["js", "nojs"])
def any_page(request: pytest.FixtureRequest) -> Any:
    return request.getfixturevalue("page" if request.param == "js" else "nojs_page")


def _open_demo(page: Any) -> None:
    page.goto("/consultations")
    page.click("a:has-text('加装电梯')")
    page.wait_for_selector("h1:has-text('加装电梯')")


def test_a_visitor_comments_votes_and_writes_a_statement(any_page: Any) -> None:
    page = any_page
    _open_demo(page)
    text = f"建议明确维保责任 {uuid.uuid4().hex[:6]}"
    page.select_option("#clause_id", label="第 4 条")
    page.fill("#body", text)
    page.click("button:has-text('提交意见')")
    page.wait_for_selector("#mine")
    assert text in page.inner_text("#mine + ul")
    first = page.inner_text("#statement-text")
    page.click("button[name=vote][value='1']")
    page.wait_for_selector("#statement-text")
    assert page.inner_text("#statement-text") != first  # the next statement, one at a time
    page.fill("#text", f"维保费用应公开 {uuid.uuid4().hex[:4]}")
    page.click("button:has-text('提交观点')")
    page.wait_for_selector("#vote")


def test_the_consultation_page_passes_axe_and_draws_the_map(page: Any) -> None:
    _open_demo(page)
    page.wait_for_selector("#chart-opinions svg")
    violations = serious_axe_violations(page)
    screenshot(page, "consultation")
    assert not violations, describe(violations)


def test_the_organisers_consultation_pages_and_the_invitation_form_pass_axe(page: Any) -> None:
    from tests.browser.test_flows import sign_in

    sign_in(page, "admin")
    page.goto("/staff/consultations")
    assert not (v := serious_axe_violations(page)), describe(v)
    screenshot(page, "consultation-staff-list")
    page.click("a:has-text('加装电梯')")
    page.wait_for_selector("#experts")
    assert not (v := serious_axe_violations(page)), describe(v)
    assert "周明远" in page.inner_text("#experts + table") and "陈女士" in page.content()
    screenshot(page, "consultation-staff-page")
    page.click("a:has-text('邀请链接')")
    page.wait_for_selector("textarea#body")
    assert not (v := serious_axe_violations(page)), describe(v)
    screenshot(page, "consultation-expert-form")
