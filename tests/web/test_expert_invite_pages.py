"""Asking an expert from inside the workbench case page and the suggestion page: the form (expert, question, due
date) is there for staff who may invite, it posts the invite command and comes back to the same page, where the
request then shows with its status; a bad due date is a clear refusal that writes nothing; staff who may not see
the subject find nothing (404)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from minyi.db import session_factory
from minyi.organisations.models import ExpertRequest
from tests.support.factories import PASSWORD, Org
from tests.support.suggestions import answered_suggestion
from tests.web.pages_support import csrf_of, sign_in
from tests.web.test_expert_opinions_http import _arrange


def _invite(client: TestClient, page: str, subject: tuple[str, int], expert_id: int, due: str) -> Any:
    form = {"csrf_token": csrf_of(page), "subject_type": subject[0], "subject_id": str(subject[1]), "back": "subject",
            "expert_user_id": str(expert_id), "question": "请论证结构安全", "due_on": due}  # fmt: skip
    return client.post("/staff/experts", data=form, follow_redirects=False)


def _requests(engine: Engine) -> int:
    with session_factory(engine)() as s:
        return s.scalar(select(func.count()).select_from(ExpertRequest)) or 0


def test_the_case_page_asks_an_expert_and_shows_the_request_with_its_status(
    client: TestClient, org: Org, sqlite_engine: Engine, inspectors: None
) -> None:
    case_id, expert_id = _arrange(sqlite_engine, org)
    assert sign_in(client, "transport-handler", PASSWORD).status_code == 303
    assert client.get(f"/staff/cases/{case_id}").status_code == 404
    r = _invite(client, client.get("/staff").text, ("case", case_id), expert_id, "")
    assert r.status_code == 404 and _requests(sqlite_engine) == 0
    client.cookies.clear()
    assert sign_in(client, "housing-handler", PASSWORD).status_code == 303
    page = client.get(f"/staff/cases/{case_id}").text
    assert 'id="experts"' in page and 'name="due_on"' in page and "市规划专家委员会" in page
    yesterday = (date.today() - timedelta(days=2)).isoformat()
    refused = _invite(client, page, ("case", case_id), expert_id, yesterday)
    assert refused.status_code == 422 and "答复期限不能早于今天" in refused.text
    assert _invite(client, page, ("case", case_id), expert_id, "2026-02-30").status_code == 422
    assert _requests(sqlite_engine) == 0  # nothing half-written
    due = (date.today() + timedelta(days=10)).isoformat()
    r = _invite(client, page, ("case", case_id), expert_id, due)
    assert r.status_code == 303 and r.headers["location"].startswith(
        f"/staff/cases/{case_id}?done=expert_invite"
    )
    shown = client.get(r.headers["location"]).text
    request_id = re.findall(r'id="request-(\d+)"', shown)[0]
    article = shown[shown.index(f'id="request-{request_id}"') :].split("</article>")[0]
    assert due in article and "等待专家提交" in article and "请论证结构安全" in article
    client.cookies.clear()
    assert (
        sign_in(client, "housing-head", PASSWORD).status_code == 303
    )  # sees it; not the inviter: no publish form
    assert 'action="/staff/experts/' not in client.get(f"/staff/cases/{case_id}").text
    client.cookies.clear()
    assert sign_in(client, "expert-1", PASSWORD).status_code == 303  # the expert sees the date asked for
    assert f"请于 {due} 前提交" in client.get("/org/experts").text


def test_the_suggestion_page_asks_an_expert_for_staff_who_see_the_item(
    client: TestClient, org: Org, sqlite_engine: Engine
) -> None:
    _case, expert_id = _arrange(sqlite_engine, org)
    with session_factory(sqlite_engine)() as s:
        sid = answered_suggestion(s, org, number=7, subject="关于加装电梯的建议", body="建议简化审批。",
                                  answer="已出台补贴办法，审批时限压缩至十个工作日。").id  # fmt: skip
    assert sign_in(client, "transport-handler", PASSWORD).status_code == 303
    assert client.get(f"/staff/suggestions/{sid}").status_code == 404
    client.cookies.clear()
    assert sign_in(client, "intake", PASSWORD).status_code == 303
    page = client.get(f"/staff/suggestions/{sid}").text
    assert 'id="experts"' in page and "（尚未邀请专家）" in page
    r = _invite(client, page, ("suggestion", sid), expert_id, "")
    assert r.status_code == 303 and r.headers["location"].startswith(
        f"/staff/suggestions/{sid}?done=expert_invite"
    )
    shown = client.get(r.headers["location"]).text
    assert "已邀请专家" in shown and "等待专家提交" in shown and re.search(r'id="request-\d+"', shown)
