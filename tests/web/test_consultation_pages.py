"""The consultation pages without JavaScript: comment, vote one statement at a time, see the map and the report."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from minyi.consultation import participation as part
from minyi.consultation.recompute import recompute
from minyi.db import session_factory
from tests.support.consultations import make_consultation
from tests.support.factories import Org
from tests.web.pages_support import csrf_of


def _open(sqlite_engine: Engine, org: Org) -> tuple[int, list[int]]:
    with session_factory(sqlite_engine)() as s:
        c = make_consultation(s, org)
        people = [part.do_join(s, c) for _ in range(8)]
        statements = [part.do_write_statement(s, c, people[i], text=f"观点{i}") for i in range(3)]
        for i, p in enumerate(people):
            for j, st in enumerate(statements[:2]):
                part.do_vote(s, c, p, statement_id=st.id, value=1 if (i < 4) == (j == 0) else -1)
        recompute(s, c.id)
        return c.id, [st.id for st in statements]


def test_a_visitor_comments_and_votes_with_plain_forms(
    client: TestClient, sqlite_engine: Engine, org: Org
) -> None:
    cid, statements = _open(sqlite_engine, org)
    page = client.get(f"/consultations/{cid}")
    assert page.status_code == 200 and "第 2 条" in page.text and "意见群体" in page.text
    assert "<table>" in page.text and "/static/vendor/echarts/" in page.text
    token = csrf_of(page.text)
    r = client.post(f"/consultations/{cid}/comment", data={"csrf_token": token, "clause_id": "", "body": "建议补贴提高，电话13812345678"},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303 and "minyi_participant" in r.cookies
    page = client.get(f"/consultations/{cid}")
    assert "13812345678" not in page.text and "我的意见" in page.text
    shown: list[Any] = []
    for _ in statements:
        page = client.get(f"/consultations/{cid}")
        if 'name="statement_id"' not in page.text:
            break
        sid = page.text.split('name="statement_id" value="')[1].split('"')[0]
        shown.append(int(sid))
        r = client.post(f"/consultations/{cid}/vote", data={"csrf_token": csrf_of(page.text), "statement_id": sid, "vote": "1"},
                        follow_redirects=False)  # fmt: skip
        assert r.status_code == 303
    assert sorted(shown) == sorted(statements)
    assert "您已对全部观点表态" in client.get(f"/consultations/{cid}").text


def test_forms_without_the_csrf_token_or_with_bad_votes_are_refused(
    client: TestClient, sqlite_engine: Engine, org: Org
) -> None:
    cid, statements = _open(sqlite_engine, org)
    r = client.post(f"/consultations/{cid}/vote", data={"statement_id": str(statements[0]), "vote": "1"})
    assert r.status_code == 403
    token = csrf_of(client.get(f"/consultations/{cid}").text)
    r = client.post(
        f"/consultations/{cid}/vote",
        data={"csrf_token": token, "statement_id": str(statements[0]), "vote": "7"},
    )
    assert r.status_code == 422
    r = client.post(f"/consultations/{cid}/statement", data={"csrf_token": token, "text": "长" * 141})
    assert r.status_code == 422 and "140" in r.text
