"""Expert opinions through HTTP: staff ask through the API, the invited expert answers with a member's token (404
to any other member, 401 to staff), the opinion reaches the public case page only once the inviter publishes it;
the staff page is 404 for staff who may not see the case."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from minyi.accounts.actor import SYSTEM
from minyi.cases import actions as act
from minyi.db import session_factory
from minyi.organisations.actions import do_add_member, do_add_organisation
from minyi.organisations.schemas import MemberIn, OrganisationIn
from tests.support.factories import PASSWORD, Org, submit
from tests.web.pages_support import csrf_of, sign_in

API = "/api/v1/staff/expert-opinions"


def _arrange(engine: Engine, org: Org) -> tuple[int, int]:
    with session_factory(engine)() as s:
        ids = []
        for name, kind, username in [("市规划专家委员会", "expert_body", "expert-1"),
                                     ("市法学会专家组", "expert_body", "expert-2")]:  # fmt: skip
            o = do_add_organisation(s, SYSTEM, OrganisationIn.model_validate({"name": name, "kind": kind}))
            ids.append(do_add_member(s, SYSTEM, o.id, MemberIn(username=username, password=PASSWORD)).user_id)
        case = submit(s, body="小区加装电梯的结构安全存疑，我的电话13912345678，请专家论证。")
        act.do_accept(s, case, org.actor("intake"))
        act.do_assign(s, case, org.actor("intake"), department_id=org.housing.id)
        return case.id, ids[0]


def test_an_expert_answers_and_the_inviter_publishes_on_the_public_page(
    client: TestClient, auth: Any, org: Org, sqlite_engine: Engine
) -> None:
    case_id, expert_id = _arrange(sqlite_engine, org)
    body = {
        "subject_type": "case",
        "subject_id": case_id,
        "expert_user_id": expert_id,
        "question": "结构是否安全？",
    }
    assert client.post(API, json=body, headers=auth("transport-handler")).status_code == 404
    r = client.post(API, json=body, headers=auth("housing-handler"))
    assert r.status_code == 201, r.text
    request_id = r.json()["id"]
    [mine] = client.get("/api/v1/expert/opinions", headers=auth("expert-1")).json()
    assert mine["id"] == request_id and mine["body"] is None
    url = f"/api/v1/expert/opinions/{request_id}"
    assert client.post(url, json={"body": "可行"}, headers=auth("expert-2")).status_code == 404
    assert client.post(url, json={"body": "可行"}, headers=auth("housing-handler")).status_code == 401
    r = client.post(url, json={"body": "结构可行，需加固基础。"}, headers=auth("expert-1"))
    assert r.status_code == 200 and r.json()["audit_seq"] and len(r.json()["content_hash"]) == 64
    assert client.post(url, json={"body": "再改"}, headers=auth("expert-1")).status_code == 409
    assert "结构可行" not in client.get(f"/cases/{case_id}").text  # not published yet
    publication = f"{API}/{request_id}/publication"
    assert client.post(publication, json={"publish": True}, headers=auth("housing-head")).status_code == 403
    assert (
        client.post(publication, json={"publish": True}, headers=auth("housing-handler")).status_code == 200
    )
    page = client.get(f"/cases/{case_id}").text
    assert (
        'id="expert-opinions"' in page
        and "结构可行，需加固基础。" in page
        and r.json()["content_hash"] in page
    )
    opinion = page[page.index('id="expert-opinions"') :]
    assert (
        "expert-1" not in opinion and "市规划专家委员会" in opinion
    )  # no display name: the body, never the login


def test_the_staff_page_is_for_those_who_see_the_case(
    client: TestClient, org: Org, sqlite_engine: Engine
) -> None:
    case_id, _expert = _arrange(sqlite_engine, org)
    assert sign_in(client, "transport-handler", PASSWORD).status_code == 303
    assert client.get(f"/staff/experts?subject_type=case&subject_id={case_id}").status_code == 404
    client.cookies.clear()
    assert sign_in(client, "housing-handler", PASSWORD).status_code == 303
    page = client.get(f"/staff/experts?subject_type=case&subject_id={case_id}")
    assert page.status_code == 200 and "市规划专家委员会" in page.text
    form = {"csrf_token": csrf_of(page.text), "subject_type": "case", "subject_id": str(case_id),
            "expert_user_id": str(_expert), "question": "请论证结构安全"}  # fmt: skip
    assert client.post("/staff/experts", data=form, follow_redirects=False).status_code == 303
    request_id = int(re.findall(r'id="request-(\d+)"', client.get(page.url).text)[0])
    for username, expected in (("expert-2", 404), ("expert-1", 303)):
        client.cookies.clear()
        assert sign_in(client, username, PASSWORD).headers["location"] == "/org"
        inbox = client.get("/org/experts")
        assert ("请论证结构安全" in inbox.text) is (expected == 303)
        if (
            expected == 303
        ):  # an empty opinion is a clear refusal on the page (as for a missing request: the API)
            empty = client.post(
                f"/org/experts/{request_id}", data={"csrf_token": csrf_of(inbox.text), "body": ""}
            )
            assert empty.status_code == 422 and "请填写意见" in empty.text
        r = client.post(f"/org/experts/{request_id}", data={"csrf_token": csrf_of(client.get("/org").text), "body": "可行"},
                        follow_redirects=False)  # fmt: skip
        assert r.status_code == expected
    assert "SHA-256" in client.get("/org/experts").text
