"""Public evaluation and attachments in headless Chromium: a citizen whose case was answered rates the department
(once) and sees the count of raters move; a citizen submits a demand with a photo, and staff find it stripped."""

from __future__ import annotations

import uuid
from typing import Any

from tests.browser.test_flows import DEPT, GOOD_REPLY, PASSWORD, sign_in
from tests.support.files import GPS_MARK, jpeg_with_gps


def _api(page: Any, method: str, path: str, body: dict[str, Any] | None, token: str | None = None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    r = getattr(page.request, method)(
        f"/api/v1{path}", headers=headers, **({} if body is None else {"data": body})
    )
    assert r.ok, r.text()
    return r.json()


def _answered_case(page: Any) -> str:
    """A demand submitted, assigned to the urban management bureau and answered, through the API; its code."""
    token = {u: _api(page, "post", "/auth/token", {"username": u, "password": PASSWORD})["access_token"]
             for u in ("intake", "cgj-handler")}  # fmt: skip
    body = {"kind": "complaint", "title": f"路灯不亮 {uuid.uuid4().hex[:6]}", "region_code": "990102",
            "body": "幸福路与人民路口的路灯坏了一个月，晚上很黑，老人走路容易摔倒。"}  # fmt: skip
    code = _api(page, "post", "/cases", body)["tracking_code"]
    found = page.request.get("/api/v1/staff/queue", params={"queue": "all", "q": code.lower()},
                             headers={"Authorization": f"Bearer {token['intake']}"})  # fmt: skip
    case_id = found.json()["items"][0]["id"]
    dept = next(
        d["id"] for d in _api(page, "get", "/departments", None, token["intake"]) if d["name"] == DEPT
    )
    for user, step, data in [("intake", "accept", {}), ("intake", "assign", {"department_id": dept}),
                             ("cgj-handler", "sign-for", {}), ("cgj-handler", "reply", {"text": GOOD_REPLY})]:  # fmt: skip
        _api(page, "post", f"/staff/cases/{case_id}/{step}", data, token[user])
    return str(code)


def _raters(page: Any) -> int:
    return int(page.inner_text(f"#evaluation-results tr:has(th:text-is('{DEPT}')) td.num").strip())


def test_a_citizen_with_an_answered_case_rates_the_department_once(page: Any) -> None:
    code = _answered_case(page)
    page.goto("/evaluation")
    page.click("a:has-text('2026年度部门民主评议')")
    before = _raters(page)
    for attempt in range(2):
        page.check("input[name=code_kind][value=case]")
        page.fill("#f-code", code)
        page.select_option("#f-department_id", label=DEPT)
        for radio in page.query_selector_all("#rate-form fieldset:has(input[name^=score_])"):
            radio.query_selector("input[value='4']").check()
        page.click("#rate-form button[type=submit]")
        if attempt == 0:
            page.wait_for_selector("#rated")
            assert _raters(page) == before + 1  # the count moves, no score is shown while the period is open
        else:  # one rating per person and department: told so beside the form, nothing counted
            assert page.is_visible(".field-error") and _raters(page) == before + 1


def test_a_photo_attached_to_a_demand_reaches_staff_without_its_location(page: Any) -> None:
    title = f"井盖丢失 {uuid.uuid4().hex[:6]}"
    page.goto("/submit")
    page.select_option("#f-kind", "complaint")
    page.fill("#f-title", title)
    page.fill("#f-body", "长庆街口的井盖丢了三天，晚上看不见，很危险，请尽快补上。")
    page.set_input_files(
        "#f-files", {"name": "井盖.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()}
    )
    page.check("#f-consent")
    page.click("button:has-text('提交')")
    page.wait_for_url("**/submit/done")
    sign_in(page, "intake")
    page.goto(f"/staff?view=dispatch&q={title}")
    page.click(f"a:has-text('{title}')")
    link = page.wait_for_selector("#case-files a")
    assert "井盖" in link.inner_text()
    photo = page.request.get(link.get_attribute("href"))
    assert photo.ok and photo.body()[:2] == b"\xff\xd8" and GPS_MARK.encode() not in photo.body()
