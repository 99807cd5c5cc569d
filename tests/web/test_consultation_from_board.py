"""A supervisor opens a draft consultation from an alert on the board; the public sees its cases redacted."""

from __future__ import annotations

import html
import re
from datetime import date
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select

from minyi.cases.models import AlertRow, Case
from minyi.consultation.models import LinkedCase
from tests.support.tamper import arrange
from tests.web.pages_support import *  # noqa: F403
from tests.web.pages_support import csrf_of, sign_in


def test_an_alert_on_the_board_opens_a_draft_with_its_cases_linked(client, db) -> None:  # type: ignore[no-untyped-def]
    cases = list(
        db.scalars(
            select(Case)
            .where(Case.visibility == "public", Case.department_id.is_not(None))
            .order_by(Case.id)
            .limit(2)
        )
    )
    codes = [c.tracking_code for c in cases]
    titles = [c.title for c in cases]
    db.add(AlertRow(key="region:990102:consult", kind="region", series="东湖区停水", window_start=date(2026, 11, 27),
                    window_end=date(2026, 11, 28), count=12, expected=1.5, ratio=8.0, p_value=1e-6, weighted=12.0,
                    examples=codes))  # fmt: skip
    arrange(db)
    sign_in(client, "supervisor")
    board = client.get("/staff/board").text
    link = html.unescape(board.split("就此征求意见")[0].rsplit('href="', 1)[1].split('"')[0])
    assert parse_qs(urlsplit(link).query)["cases"] == [",".join(codes)]
    form = client.get(link)
    assert form.status_code == 200 and "东湖区停水" in form.text and codes[0] in form.text
    data = {"csrf_token": csrf_of(form.text), "title": "东湖区供水保障办法", "department_id": str(cases[0].department_id),
            "opens_at": "2026-01-01", "closes_at": "2099-01-01", "draft": "第一条 目的\n保障供水。",
            "linked_cases": ",".join(codes), "origin": "预警 东湖区停水"}  # fmt: skip
    r = client.post("/staff/consultations", data=data, follow_redirects=False)
    assert r.status_code == 303, r.text
    cid = int(r.headers["location"].rsplit("/", 1)[1])
    assert sorted(db.scalars(select(LinkedCase.case_id).where(LinkedCase.consultation_id == cid))) == sorted(
        c.id for c in cases
    )
    arrange(db)
    opened = client.post(f"/staff/consultations/{cid}/act/open", data={"csrf_token": csrf_of(client.get(f"/staff/consultations/{cid}").text)},
                         follow_redirects=False)  # fmt: skip
    assert opened.status_code == 303
    client.cookies.clear()
    public = client.get(f"/api/v1/consultations/{cid}/linked-cases").json()
    assert public["origin"] == "预警 东湖区停水" and len(public["cases"]) + public["not_public"] == 2
    page = client.get(f"/consultations/{cid}").text
    assert "相关诉求" in page and all(code not in page for code in codes)
    assert all(shown["title"] in page for shown in public["cases"])
    assert len(titles) == 2


def test_a_linked_case_the_organiser_may_not_read_is_refused(client, db) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, "supervisor")
    form = client.get("/staff/consultations?cases=ABCD-EFGH-JKMN")
    data = {"csrf_token": csrf_of(form.text), "title": "试", "department_id": "1", "opens_at": "2026-01-01",
            "closes_at": "2099-01-01", "draft": "第一条 目的\n试。", "linked_cases": "ABCD-EFGH-JKMN"}  # fmt: skip
    r = client.post("/staff/consultations", data=data, follow_redirects=False)
    assert r.status_code == 422 and "关联诉求不存在或无权查看" in r.text


def test_a_link_cannot_fill_the_form_with_an_unbounded_draft(client, db) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, "supervisor")
    page = client.get("/staff/consultations", params={"draft": "z" * 20_000, "cases": "X" * 5_000}).text
    draft = re.search(r'<textarea id="f-draft"[^>]*>([^<]*)</textarea>', page)
    linked = re.search(r'name="linked_cases" value="([^"]*)"', page)
    assert draft and draft.group(1) == "z" * 2000 and linked and linked.group(1) == "X" * 40
