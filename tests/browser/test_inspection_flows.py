"""The inspector's flow in headless Chromium, JavaScript on and off: open a round, a citizen writes to its
mailbox and an operator registers a call, the team marks and hands on a clue, gives its findings with a
rectification item, the unit reports it done (never seeing the letter), the team accepts it."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from tests.browser.test_flows import sign_in, sign_out


@pytest.fixture(params=["js", "nojs"])
def any_page(request: pytest.FixtureRequest) -> Any:
    return request.getfixturevalue("page" if request.param == "js" else "nojs_page")


def _submit(page: Any, button: str) -> None:
    with page.expect_navigation():
        page.click(f"button:has-text('{button}')")
    assert "error=" not in page.url, page.url


def test_a_round_from_mailbox_to_accepted_rectification(any_page: Any) -> None:
    page = any_page
    tag = uuid.uuid4().hex[:6]
    title, letter, call = (
        f"巡察交通运输局 {tag}",
        f"客运站长期违规收费，群众意见很大 {tag}",
        f"来电反映公交票价 {tag}",
    )
    sign_in(page, "inspector")
    page.click("nav >> text=巡视巡察")
    page.fill("#f-title", title)
    page.select_option("#f-unit_id", label="市交通运输局")
    page.check("input[name=member_ids] >> nth=0")
    _submit(page, "组建")
    url = page.url.split("?")[0]
    round_id = url.rsplit("/", 1)[1]
    sign_out(page)

    page.goto("/inspections")
    page.click(f"text={title}")
    page.fill("#f-body", letter)
    _submit(page, "寄出")
    assert page.is_visible("#letter-sent")

    sign_in(page, "intake")
    page.goto("/staff/inspections")
    page.fill(f"#f-call-{round_id}", call)
    with page.expect_navigation():
        page.click(f"form[action='/staff/inspections/{round_id}/calls'] button")
    sign_out(page)

    sign_in(page, "inspector")
    page.goto(url)
    assert page.is_visible(f"text={letter}") and page.is_visible(f"text={call}")
    page.fill("#f-clue", f"客运站违规收费的线索 {tag}")
    _submit(page, "标记")
    page.fill("input[name=note]", "涉嫌违纪，移交处理")
    _submit(page, "移交")
    assert page.is_visible("text=已移交")
    page.fill("#f-findings", "群众反映的违规收费问题属实，监管缺位。")
    page.fill("#f-g-problem", "客运站违规收取服务费")
    page.fill("#f-g-post", "运输管理科科长")
    page.fill("#f-g-measures", "清退违规收费，建立收费公示制度")
    page.fill("#f-g-due", (date.today() + timedelta(days=60)).isoformat())
    page.fill("#f-g-evidence", "清退台账和公示照片")
    _submit(page, "反馈")
    assert page.inner_text("#round-stage") == "整改中"
    sign_out(page)

    sign_in(page, "jtysj-head")
    page.goto(url)
    assert not page.is_visible(f"text={letter}")  # the unit inspected never reads what was sent to the team
    page.fill("textarea[name=done]", "已清退违规收费12笔")
    page.fill("textarea[name=evidence]", "清退台账")
    page.check("input[name=complete]")
    _submit(page, "报告进展")
    assert page.inner_text(".item-status") == "待验收"
    sign_out(page)

    sign_in(page, "inspector")
    page.goto(url)
    page.fill("input[name=reason]", "佐证齐全")
    _submit(page, "验收通过")
    assert page.inner_text(".item-status") == "已完成"
