"""The suggestion pages: the office registers and assigns, the unit records contact and answers, the proposer
judges on their own page, the answer is published unless withheld."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from minyi.app import create_app
from tests.support.factories import PASSWORD, Org
from tests.web.pages_support import csrf_of, post_form, sign_in

ANSWER = (
    "经研究，人民路口信号灯配时优化已列入2027年交通治理计划，我局将于9月底前完成改造，联系人电话13912345678。"
)


@pytest.fixture
def proposer_browser(sqlite_engine: Engine, org: Org) -> Iterator[TestClient]:
    with TestClient(create_app(sqlite_engine)) as c:
        yield c


def _as(client: TestClient, username: str) -> None:
    client.cookies.clear()
    assert sign_in(client, username, PASSWORD).status_code == 303


def _step(client: TestClient, sid: int, name: str, data: dict[str, object]) -> str:
    page = client.get(f"/staff/suggestions/{sid}")
    version = re.search(r'name="version" value="(\d+)"', page.text)
    assert version, page.text[:500]
    r = client.post(f"/staff/suggestions/{sid}/act/{name}", follow_redirects=False,
                    data={**data, "csrf_token": csrf_of(page.text), "version": version.group(1)})  # fmt: skip
    assert r.status_code == 303, r.text[:2000]
    return client.get(r.headers["location"]).text


def test_office_unit_and_proposer_follow_an_item_to_its_second_answer(
    client: TestClient, proposer_browser: TestClient, org: Org
) -> None:
    _as(client, "intake")
    r = post_form(client, "/staff/suggestions/new", "/staff/suggestions/new", {
        "kind": "deputy_suggestion", "session": "十五届三次", "number": "123", "proposer_name": "李代表",
        "proposer_kind": "deputy", "cosigners": "王代表，张代表", "subject": "关于优化人民路口信号灯配时的建议",
        "body": "早晚高峰拥堵严重。"})  # fmt: skip
    assert r.status_code == 201
    code = re.search(r'id="proposer-code">([^<]+)<', r.text).group(1)  # type: ignore[union-attr]
    sid = int(re.search(r"/staff/suggestions/(\d+)", r.text).group(1))  # type: ignore[union-attr]
    _step(client, sid, "accept", {})
    page = _step(client, sid, "assign", {"lead_unit_id": org.housing.id, "co_unit_ids": [org.transport.id]})
    assert "已交办" in page and "第0123号" in client.get("/staff/suggestions?session_label=十五届三次").text
    _as(client, "housing-handler")
    page = _step(client, sid, "contact", {"way": "meeting", "contacted_on": date.today().isoformat(), "who": "李代表",
                                          "summary": "面商改造方案"})  # fmt: skip
    assert "面商改造方案" in page and 'id="act-answer"' not in page  # only the head signs the answer
    _as(client, "housing-head")
    plan = (date.today() + timedelta(days=90)).isoformat()
    page = _step(
        client, sid, "answer", {"category": "B", "text": ANSWER, "plan": "年内完成", "plan_date": plan}
    )
    assert "已答复" in page
    # the proposer's own page, opened with the code; staff credentials may not judge in their place
    r = post_form(proposer_browser, "/suggestions/mine", "/suggestions/mine", {"code": code})
    assert r.status_code == 303 and "secure" not in r.headers["set-cookie"].lower()
    mine = proposer_browser.get("/suggestions/mine").text
    assert ANSWER in mine and "第0123号" in mine
    r = post_form(proposer_browser, "/suggestions/mine", f"/suggestions/mine/{sid}/evaluate",
                  {"satisfaction": "unsatisfied", "comment": "进度太慢"})  # fmt: skip
    assert r.status_code == 303
    assert "再次办理" in proposer_browser.get("/suggestions/mine").text
    page = _step(client, sid, "answer", {"category": "A", "text": ANSWER})
    assert "第2次答复" in page
    client.cookies.set("minyi_proposer", proposer_browser.cookies["minyi_proposer"])  # staff with the code
    url = f"/suggestions/mine/{sid}/evaluate"
    r = post_form(client, f"/staff/suggestions/{sid}", url, {"satisfaction": "satisfied"})
    assert r.status_code == 403 and "已评价" not in client.get(f"/staff/suggestions/{sid}").text
    public = client.get("/suggestions").text
    assert "人民路口" in public and "13912345678" not in public  # published, personal data masked
    _as(client, "intake")
    _step(client, sid, "withhold", {"reason": "涉及未公开规划"})
    assert "关于优化人民路口" not in client.get("/suggestions").text


def _register(client: TestClient, kind: str, number: str, subject: str) -> int:
    r = post_form(client, "/staff/suggestions/new", "/staff/suggestions/new", {
        "kind": kind, "session": "政协三次", "number": number, "proposer_name": "民盟",
        "proposer_kind": "party", "subject": subject, "body": "建议简化审批。"})  # fmt: skip
    assert r.status_code == 201, r.text[:500]
    return int(re.search(r"/staff/suggestions/(\d+)", r.text).group(1))  # type: ignore[union-attr]


def test_another_unit_gets_404_and_a_wrong_code_opens_nothing(client: TestClient, org: Org) -> None:
    _as(client, "intake")
    sid = _register(client, "cppcc_proposal", "7", "关于加装电梯的提案")
    r = post_form(client, "/staff/suggestions/new", "/staff/suggestions/new", {
        "kind": "cppcc_proposal", "session": "政协三次", "number": "7", "proposer_name": "民盟",
        "proposer_kind": "party", "subject": "重复", "body": "重复"})  # fmt: skip
    assert r.status_code == 409 and "已有该编号" in r.text
    _as(client, "transport-handler")
    assert client.get(f"/staff/suggestions/{sid}").status_code == 404
    assert "关于加装电梯" not in client.get("/staff/suggestions").text
    client.cookies.clear()
    r = post_form(client, "/suggestions/mine", "/suggestions/mine", {"code": "0000-0000-0000"})
    assert r.status_code == 404


def test_statistics_page_csv_and_the_public_scoreboard(client: TestClient, auth: object, org: Org) -> None:
    headers = auth("intake")  # type: ignore[operator]
    body = {"kind": "deputy_suggestion", "session": "十五届三次", "number": 1, "proposer": {"name": "李代表"},
            "subject": "关于公交线路的建议", "body": "建议增加夜班公交。"}  # fmt: skip
    sid = client.post("/api/v1/staff/suggestions", json=body, headers=headers).json()["id"]
    client.post(f"/api/v1/staff/suggestions/{sid}/accept", json={}, headers=headers)
    client.post(
        f"/api/v1/staff/suggestions/{sid}/assign", json={"lead_unit_id": org.housing.id}, headers=headers
    )
    page = client.get("/suggestions/stats", params={"session_label": "十五届三次"})
    assert page.status_code == 200 and "住建局" in page.text and "合计" in page.text
    csv_text = client.get("/suggestions/stats.csv").text
    assert csv_text.startswith("\ufeff") and "住建局" in csv_text
    board = client.get("/scoreboard").text
    assert "建议提案办理" in board and "十五届三次" in board
    assert "Deputy" in client.get("/suggestions/stats?lang=en").text


def test_a_refused_step_names_the_suggestion_step_and_writes_nothing(client: TestClient, org: Org) -> None:
    _as(client, "intake")
    sid = _register(client, "deputy_suggestion", "9", "关于路灯的建议")
    _step(client, sid, "accept", {})
    page = client.get(f"/staff/suggestions/{sid}")
    version = re.search(r'name="version" value="(\d+)"', page.text).group(1)  # type: ignore[union-attr]
    r = client.post(f"/staff/suggestions/{sid}/act/mark_key",
                    data={"csrf_token": csrf_of(page.text), "version": version})  # fmt: skip
    assert (
        r.status_code == 422 and "“确定重点督办”的输入有误" in r.text
    )  # the step's own name, not the case's
    r = client.post(f"/staff/suggestions/{sid}/act/mark_key",
                    data={"csrf_token": csrf_of(page.text), "leader": "王副市长"})  # fmt: skip
    assert r.status_code == 422 and "页面已过期" in r.text
    assert "王副市长" not in client.get(f"/staff/suggestions/{sid}").text


def _assigned(client: TestClient, number: str, assign: dict[str, object]) -> tuple[int, str]:
    """The office registers, accepts and assigns a proposal; its id and the page after assignment."""
    _as(client, "intake")
    sid = _register(client, "cppcc_proposal", number, f"关于第{number}号事项的提案")
    _step(client, sid, "accept", {})
    return sid, _step(client, sid, "assign", assign)


def test_the_office_splits_an_item_and_a_co_operating_unit_sends_its_opinion_on_the_page(
    client: TestClient, org: Org
) -> None:
    sid, page = _assigned(client, "8", {"lead_unit_id": org.housing.id, "part_unit_ids": [org.district.id],
                                        "co_unit_ids": [org.transport.id]})  # fmt: skip
    assert 'id="part-units"' in page and "东区政府" in page
    page = _step(client, sid, "request_opinions", {})
    assert "待送达" in page and 'id="act-waive_opinions"' in page
    _as(client, "transport-handler")
    page = client.get(f"/staff/suggestions/{sid}").text
    assert 'id="act-give_opinion"' in page and 'id="act-answer"' not in page
    page = _step(client, sid, "give_opinion", {"opinion": "我局配合做好交通组织"})
    assert "我局配合做好交通组织" in page


def test_a_key_item_is_on_the_board_with_its_leader_and_a_b_plan_is_reported_done(
    client: TestClient, org: Org
) -> None:
    sid, _page = _assigned(client, "11", {"lead_unit_id": org.housing.id})
    _step(client, sid, "mark_key", {"leader": "常务副市长 刘强"})
    _as(client, "supervisor")
    board = client.get("/staff/board").text
    assert 'id="key-items"' in board and "常务副市长 刘强" in board and "第0011号" in board
    _as(client, "housing-head")
    _step(client, sid, "contact", {"way": "phone", "contacted_on": date.today().isoformat(), "who": "民盟",
                                   "summary": "电话沟通方案"})  # fmt: skip
    plan = (date.today() + timedelta(days=60)).isoformat()
    page = _step(
        client, sid, "answer", {"category": "B", "text": ANSWER, "plan": "年内安装路灯", "plan_date": plan}
    )
    assert "待落实" in page and 'id="act-complete_followup"' in page
    _as(client, "housing-handler")
    followup = re.search(
        r'name="followup_id">\s*<option value="(\d+)"', client.get(f"/staff/suggestions/{sid}").text
    )
    assert followup
    page = _step(client, sid, "complete_followup", {"followup_id": followup.group(1), "note": "路灯已安装"})
    assert "已落实" in page and "路灯已安装" in page and 'id="act-complete_followup"' not in page
