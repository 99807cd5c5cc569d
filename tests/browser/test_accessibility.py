"""axe-core on every main page (no serious or critical violations), with screenshots at two widths."""

from __future__ import annotations

from typing import Any

import pytest
from tests.browser.conftest import DESKTOP, PHONE, describe, screenshot, serious_axe_violations
from tests.browser.test_flows import sign_in

PUBLIC = [("home", "/"), ("submit", "/submit"), ("track", "/track"), ("cases", "/cases"),
          ("scoreboard", "/scoreboard"), ("map", "/map"), ("login", "/staff/login"), ("home-en", "/?lang=en")]  # fmt: skip
STAFF = [
    ("queue", "/staff?view=all"),
    ("board", "/staff/board"),
    ("admin", "/staff/admin"),
    ("register", "/staff/register"),
    ("notifications", "/staff/notifications"),
    ("staff-map", "/staff/map"),
    ("boundaries", "/staff/admin/boundaries"),
    ("contacts", "/staff/admin/contacts"),
]


@pytest.mark.parametrize("name,url", PUBLIC)
def test_public_pages_pass_axe(page: Any, name: str, url: str) -> None:
    page.goto(url)
    if name == "scoreboard":
        page.wait_for_selector("#chart-rates svg")
    if name == "map":
        page.wait_for_selector("#region-map svg path")
    violations = serious_axe_violations(page)
    screenshot(page, name)
    page.set_viewport_size(PHONE)
    screenshot(page, name)
    page.set_viewport_size(DESKTOP)
    assert not violations, describe(violations)


def test_pages_with_errors_and_a_public_case_pass_axe(page: Any) -> None:
    page.goto("/submit")
    page.click("button:has-text('提交')")
    assert not (v := serious_axe_violations(page)), describe(v)
    screenshot(page, "submit-errors")
    page.goto("/cases")
    page.locator(".case-list a").first.click()
    assert not (v := serious_axe_violations(page)), describe(v)
    screenshot(page, "public-case")


def test_staff_pages_pass_axe(page: Any) -> None:
    sign_in(page, "admin")
    for name, url in STAFF:
        page.goto(url)
        assert not (v := serious_axe_violations(page)), (url, describe(v))
        screenshot(page, name)
    page.goto("/staff?view=all")
    page.locator("table a").first.click()
    assert not (v := serious_axe_violations(page)), describe(v)
    screenshot(page, "staff-case")
    page.set_viewport_size(PHONE)
    screenshot(page, "staff-case")
