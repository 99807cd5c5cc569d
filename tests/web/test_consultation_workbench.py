"""The organiser's workbench pages: draft, open, moderate, close, group, answer and publish with plain forms."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from minyi.consultation import participation as part
from minyi.consultation.models import Comment, Consultation
from minyi.db import session_factory
from tests.support.factories import PASSWORD, Org
from tests.web.pages_support import csrf_of


def _sign_in(client: TestClient, username: str) -> None:
    token = csrf_of(client.get("/staff/login").text)
    r = client.post("/staff/login", data={"username": username, "password": PASSWORD, "csrf_token": token,
                                          "next": "/staff"}, follow_redirects=False)  # fmt: skip
    assert r.status_code == 303


def _post(client: TestClient, page: str, action: str, data: dict[str, Any]) -> Any:
    return client.post(
        action, data={**data, "csrf_token": csrf_of(client.get(page).text)}, follow_redirects=False
    )


DRAFT = "第一条 补助\n每台补助二十万元。\n第二条 比例\n三分之二业主同意。"


def test_an_organiser_runs_a_consultation_from_draft_to_report(
    client: TestClient, sqlite_engine: Engine, org: Org
) -> None:
    _sign_in(client, "housing-head")
    r = _post(client, "/staff/consultations", "/staff/consultations",
              {"title": "加装电梯办法", "kind": "community", "region_code": "990102", "opens_at": "2020-01-01",
               "closes_at": "2099-01-01", "draft": DRAFT})  # fmt: skip
    assert r.status_code == 303, r.text
    page = r.headers["location"]
    cid = int(page.rsplit("/", 1)[1])
    assert _post(client, page, f"{page}/act/open", {}).status_code == 303
    with session_factory(sqlite_engine)() as s:
        c = s.get(Consultation, cid)
        p = part.do_join(s, c)  # type: ignore[arg-type]
        part.do_comment(s, c, p, clause_id=None, body="电梯补贴太少了，应该提高补贴标准")  # type: ignore[arg-type]
        part.do_comment(s, c, p, clause_id=None, body="电梯补贴太少，应当提高补贴标准")  # type: ignore[arg-type]
        held = part.do_comment(s, c, p, clause_id=None, body="这些狗官不办事")  # type: ignore[arg-type]
    r = _post(
        client, page, f"{page}/act/moderate", {"comment_id": held.id, "decision": "hidden", "reason": "辱骂"}
    )
    assert r.status_code == 303
    assert _post(client, page, f"{page}/act/close", {}).status_code == 303
    html = client.get(page).text
    fields = dict(re.findall(r'name="(group_\d+)" size="3" value="([^"]*)"', html))
    assert len(fields) == 2 and len(set(fields.values())) == 1  # proposed together by text similarity
    r = _post(client, page, f"{page}/act/group", {**fields, "title_G1": "补助标准"})
    assert r.status_code == 303, r.text
    refused = _post(client, page, f"{page}/act/publish_report", {})
    assert refused.status_code == 409 and "未答复" in refused.text
    with session_factory(sqlite_engine)() as s:
        group_id = s.scalars(select(Comment.group_id).where(Comment.group_id.is_not(None))).first()
    r = _post(
        client,
        page,
        f"{page}/act/answer",
        {"group_id": group_id, "answer": "adopted", "reason": "提高到二十五万元"},
    )
    assert r.status_code == 303
    assert _post(client, page, f"{page}/act/publish_report", {}).status_code == 303
    report = client.get(f"/consultations/{cid}/report")
    assert report.status_code == 200 and "提高到二十五万元" in report.text and "狗官" not in report.text


def test_another_departments_consultation_is_not_found(
    client: TestClient, sqlite_engine: Engine, org: Org
) -> None:
    from tests.support.consultations import make_consultation

    with session_factory(sqlite_engine)() as s:
        cid = make_consultation(s, org).id
    _sign_in(client, "transport-handler")
    assert client.get(f"/staff/consultations/{cid}").status_code == 404
    assert (
        _post(client, "/staff/consultations", f"/staff/consultations/{cid}/act/close", {}).status_code == 404
    )
