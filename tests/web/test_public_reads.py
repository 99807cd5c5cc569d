"""The public list (API and portal) and the case page project through one batched function: a fixed number of
queries however many rows, and the same fields everywhere."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from minyi.app import create_app
from minyi.cases import actions as act
from minyi.cases import oversight
from minyi.db import session_factory
from tests.support.factories import Org, make_org, submit
from tests.support.tamper import arrange
from tests.web.pages_support import count_queries

PUBLIC_READS = ["/api/v1/public/cases?limit=100", "/cases", "/cases?q=电梯", "/cases?kind=complaint&lang=en"]


def _add_cases(s: Session, org: Org, n: int) -> None:
    intake, handler = org.actor("intake"), org.actor("housing-handler")
    for i in range(n):
        case = submit(s, title=f"电梯坏了{i}", body=f"我叫李{'一二三四五六七八九十'[i % 10]}明，小区{i}号楼电梯坏了。",
                      contact={"name": f"李{i}明", "phone": f"1390000{i:04d}"})  # fmt: skip
        act.do_accept(s, case, intake)
        if i % 2:
            act.do_assign(s, case, intake, department_id=org.housing.id)
            act.do_sign_for(s, case, handler)
            act.do_reply(s, case, handler, text=f"李{i}明您好：电梯已修复。")
        if i % 4 == 1:
            duplicate = submit(s, title=f"同一部电梯{i}", body="电梯坏了。")
            act.do_accept(s, duplicate, intake)
            oversight.do_merge(s, duplicate, intake, master=case)
    arrange(s)


def _counts(engine: Engine) -> dict[str, int]:
    client = TestClient(create_app(engine))
    counts = {}
    for url in PUBLIC_READS:
        client.get(url)  # warm the per-database caches
        with count_queries(engine) as statements:
            assert client.get(url).status_code == 200
        counts[url] = len(statements)
    return counts


def test_the_public_lists_make_the_same_number_of_queries_for_2_and_20_rows(engine: Engine) -> None:
    with session_factory(engine)() as s:
        org = make_org(s)
        _add_cases(s, org, 2)
        few = _counts(engine)
        _add_cases(s, org, 18)
    many = _counts(engine)
    assert few == many, (few, many)
    assert all(n <= 7 for n in many.values()), many


def test_the_case_page_and_tracking_make_a_bounded_number_of_queries(engine: Engine) -> None:
    with session_factory(engine)() as s:
        org = make_org(s)
        _add_cases(s, org, 6)
        code = submit(s, title="电梯", body="电梯坏了").tracking_code
    client = TestClient(create_app(engine))
    for url in ["/cases/2", f"/api/v1/cases/{code}"]:
        client.get(url)
        with count_queries(engine) as statements:
            assert client.get(url).status_code == 200
        assert len(statements) <= 7, (url, statements)


def test_the_api_list_the_portal_list_and_the_case_page_show_the_same_fields(engine: Engine) -> None:
    with session_factory(engine)() as s:
        _add_cases(s, make_org(s), 4)
    client = TestClient(create_app(engine))
    items = client.get("/api/v1/public/cases").json()
    listed = client.get("/cases").text
    assert len(items) == 4 and all(item["id"] and item["topic"] and item["region"] for item in items)
    for item in items:
        page = client.get(f"/cases/{item['id']}").text
        assert f'href="/cases/{item["id"]}"' in listed and html.escape(item["title"]) in listed
        for key in ("title", "body", "reply", "department", "topic", "region"):
            if item[key]:
                assert html.escape(item[key]) in page, (key, item[key])
        assert "【姓名】" in item["body"] and "李" not in item["body"]
