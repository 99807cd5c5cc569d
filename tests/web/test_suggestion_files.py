"""Files on suggestions through HTTP: the proposer attaches to the submission with their code, the lead unit to
its own answer; the office and the item's units read them; another unit, another proposer and staff posing as
the proposer find nothing (404), and a refused upload leaves nothing."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from minyi.db import reset_caches, session_factory
from minyi.suggestions.models import SuggestionAnswer
from tests.support import files
from tests.support.factories import PASSWORD, Org
from tests.web.pages_support import csrf_of, sign_in
from tests.web.test_suggestions_api import ANSWER, NEW


@pytest.fixture(autouse=True)
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MINYI_DATA_DIR", str(tmp_path / "data"))
    reset_caches()
    return tmp_path / "data" / "attachments"


def _files(*items: tuple[str, bytes]) -> list[tuple[str, tuple[str, bytes]]]:
    return [("files", (n, d)) for n, d in items]


def _answer(client: TestClient, auth: Any, org: Org, sid: int) -> None:
    """Accepted, assigned to housing, contact recorded, answered A by its head (through the API)."""
    steps = [("accept", "intake", {}), ("assign", "intake", {"lead_unit_id": org.housing.id, "co_unit_ids": []}),
             ("contacts", "housing-handler", {"way": "phone", "contacted_on": date.today().isoformat(),
                                              "who": "民盟", "summary": "电话沟通"}),
             ("answer", "housing-head", {"category": "A", "text": ANSWER})]  # fmt: skip
    for path, who, body in steps:
        r = client.post(f"/api/v1/staff/suggestions/{sid}/{path}", json=body, headers=auth(who))
        assert r.status_code == 200, (path, r.text)


def test_the_proposer_and_the_unit_attach_and_only_those_of_the_item_read(
    client: TestClient, auth: Any, org: Org, sqlite_engine: Engine
) -> None:
    item = client.post("/api/v1/staff/suggestions", json=NEW, headers=auth("intake")).json()
    code, sid = item["proposer_code"], item["id"]
    url = f"/api/v1/proposer/suggestions/{sid}/attachments"
    r = client.post(url, files=_files(("调研报告.pdf", files.PDF)), headers={"X-Proposer-Code": code})
    assert r.status_code == 201, r.text
    [report] = r.json()
    staff_posing = {"X-Proposer-Code": code, **auth("intake")}
    assert client.post(url, files=_files(("a.txt", b"x")), headers=staff_posing).status_code == 403
    other = client.post("/api/v1/staff/suggestions", json={**NEW, "number": 43, "proposer": {
        "name": "张委员", "kind": "cppcc_member"}}, headers=auth("intake")).json()  # fmt: skip
    r = client.post(url, files=_files(("a.txt", b"x")), headers={"X-Proposer-Code": other["proposer_code"]})
    assert r.status_code == 404
    r = client.post(
        url, files=_files(("evil.pdf", b"MZ\x90\x00not a pdf")), headers={"X-Proposer-Code": code}
    )
    assert r.status_code == 422
    _answer(client, auth, org, sid)
    with session_factory(sqlite_engine)() as s:
        answer_id = s.scalar(select(SuggestionAnswer.id).where(SuggestionAnswer.suggestion_id == sid))
    answer_url = f"/api/v1/staff/suggestions/{sid}/answers/{answer_id}/attachments"
    r = client.post(
        answer_url, files=_files(("补贴办法.txt", "补贴办法全文".encode())), headers=auth("transport-handler")
    )
    assert r.status_code == 404  # another unit's answer on an item it does not see
    r = client.post(
        answer_url, files=_files(("现场.jpg", files.jpeg_with_gps())), headers=auth("housing-head")
    )
    assert r.status_code == 201, r.text
    listing = f"/api/v1/staff/suggestions/{sid}/attachments"
    kinds = [
        (f["belongs_to"], f["filename"]) for f in client.get(listing, headers=auth("housing-handler")).json()
    ]
    assert kinds == [("suggestion", "调研报告.pdf"), ("suggestion_answer", "现场.jpg")]
    assert client.get(listing, headers=auth("transport-handler")).status_code == 404
    download = f"/api/v1/attachments/{report['id']}"
    assert client.get(download, headers=auth("supervisor")).status_code == 200
    assert client.get(download, headers=auth("transport-handler")).status_code == 404


def test_the_pages_take_the_proposer_s_and_the_unit_s_files(client: TestClient, auth: Any, org: Org) -> None:
    item = client.post("/api/v1/staff/suggestions", json=NEW, headers=auth("intake")).json()
    code, sid = item["proposer_code"], item["id"]
    opened = client.get("/suggestions/mine")
    r = client.post(
        "/suggestions/mine", data={"csrf_token": csrf_of(opened.text), "code": code}, follow_redirects=False
    )
    assert r.status_code == 303
    mine = client.get("/suggestions/mine")
    r = client.post(f"/suggestions/mine/{sid}/files", data={"csrf_token": csrf_of(mine.text)},
                    files=_files(("调研照片.jpg", files.jpeg_with_gps())), follow_redirects=False)  # fmt: skip
    assert r.status_code == 303 and r.headers["location"] == "/suggestions/mine?done=files"
    client.cookies.clear()
    _answer(client, auth, org, sid)
    assert sign_in(client, "transport-handler", PASSWORD).status_code == 303
    assert client.get(f"/staff/suggestions/{sid}").status_code == 404
    client.cookies.clear()
    assert sign_in(client, "housing-head", PASSWORD).status_code == 303
    page = client.get(f"/staff/suggestions/{sid}")
    assert "调研照片.jpg" in page.text
    action = re.search(r'action="(/staff/suggestions/\d+/answers/\d+/files)"', page.text)
    assert action
    r = client.post(action.group(1), data={"csrf_token": csrf_of(page.text)},
                    files=_files(("补贴办法.txt", "补贴办法全文".encode())), follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    assert "补贴办法.txt" in client.get(f"/staff/suggestions/{sid}").text
