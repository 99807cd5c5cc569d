"""The published answers page shows the expert opinions the inviter published on a suggestion (never an
unpublished one; redacted), and the proposer lists and downloads their own submission's files and the files the
units attached to the answers given them on their page (404 for another proposer, for staff and for the public,
same as a missing file)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from minyi.accounts.actor import SYSTEM, Actor
from minyi.accounts.roles import Role
from minyi.attachments.registry import may_read
from minyi.db import reset_caches, session_factory
from minyi.organisations.actions import do_add_member, do_add_organisation
from minyi.organisations.schemas import MemberIn, OrganisationIn
from minyi.suggestions.files import proposer_reader
from minyi.suggestions.models import Proposer, Suggestion, SuggestionAnswer
from tests.support import files
from tests.support.factories import PASSWORD, Org
from tests.web.pages_support import csrf_of
from tests.web.test_suggestion_files import _answer, _files
from tests.web.test_suggestions_api import NEW

API = "/api/v1/staff/expert-opinions"


def _experts(engine: Engine) -> int:
    with session_factory(engine)() as s:
        body = OrganisationIn.model_validate({"name": "市交通专家委员会", "kind": "expert_body"})
        o = do_add_organisation(s, SYSTEM, body)
        return do_add_member(s, SYSTEM, o.id, MemberIn(username="expert-1", password=PASSWORD)).user_id


def _opinion(client: TestClient, auth: Any, sid: int, expert_id: int, text: str) -> int:
    body = {
        "subject_type": "suggestion",
        "subject_id": sid,
        "expert_user_id": expert_id,
        "question": "可行吗？",
    }
    r = client.post(API, json=body, headers=auth("housing-handler"))
    assert r.status_code == 201, r.text
    request_id = int(r.json()["id"])
    r = client.post(f"/api/v1/expert/opinions/{request_id}", json={"body": text}, headers=auth("expert-1"))
    assert r.status_code == 200, r.text
    return request_id


def test_published_opinions_show_under_the_published_answer(
    client: TestClient, auth: Any, org: Org, sqlite_engine: Engine
) -> None:
    expert_id = _experts(sqlite_engine)
    sid = client.post("/api/v1/staff/suggestions", json=NEW, headers=auth("intake")).json()["id"]
    _answer(client, auth, org, sid)
    shown = _opinion(client, auth, sid, expert_id, "方案可行，建议分期实施，联系13912345678。")
    _opinion(client, auth, sid, expert_id, "另一份尚未公开的意见。")
    page = client.get("/suggestions").text
    assert "方案可行" not in page  # nothing published yet
    r = client.post(f"{API}/{shown}/publication", json={"publish": True}, headers=auth("housing-handler"))
    assert r.status_code == 200, r.text
    page = client.get("/suggestions").text
    assert f'id="opinion-{shown}"' in page and "方案可行，建议分期实施" in page
    assert "13912345678" not in page  # redacted
    assert "尚未公开的意见" not in page


@pytest.fixture()
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MINYI_DATA_DIR", str(tmp_path / "data"))
    reset_caches()
    return tmp_path / "data" / "attachments"


def _plain(text: str) -> str:
    return re.sub(r"/suggestions/mine/files/\d+", "", re.sub(r'Token": "[^"]+"', "", text))


def _open(client: TestClient, code: str) -> str:
    opened = client.get("/suggestions/mine")
    r = client.post(
        "/suggestions/mine", data={"csrf_token": csrf_of(opened.text), "code": code}, follow_redirects=False
    )
    assert r.status_code == 303
    return client.get("/suggestions/mine").text


def _only_the_proposer_reads(
    client: TestClient, auth: Any, link: re.Match[str], name: str, other_code: str
) -> None:
    """The proposer downloads the linked file; the public, another proposer and staff get the missing file's 404."""
    url = link.group(1)
    r = client.get(url)
    assert r.status_code == 200 and r.content == files.PDF
    assert r.headers["cache-control"] == "private, no-store"
    missing = client.get(f"/suggestions/mine/files/{int(link.group(2)) + 1000}")
    assert missing.status_code == 404
    client.cookies.clear()
    assert client.get(url).status_code == 404  # the public, without the code
    assert name not in _open(client, other_code)
    forbidden = client.get(url)
    assert forbidden.status_code == 404 and _plain(forbidden.text) == _plain(missing.text)  # another proposer
    client.cookies.clear()
    assert client.get(url, headers=auth("intake")).status_code == 404  # staff use their own download route


def test_the_proposer_lists_and_downloads_only_their_own_files(
    client: TestClient, auth: Any, org: Org, store: Path
) -> None:
    item = client.post("/api/v1/staff/suggestions", json=NEW, headers=auth("intake")).json()
    other = client.post("/api/v1/staff/suggestions", json={**NEW, "number": 43, "proposer": {
        "name": "张委员", "kind": "cppcc_member"}}, headers=auth("intake")).json()  # fmt: skip
    mine = _open(client, item["proposer_code"])
    r = client.post(f"/suggestions/mine/{item['id']}/files", data={"csrf_token": csrf_of(mine)},
                    files=_files(("调研报告.pdf", files.PDF)), follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    mine = client.get("/suggestions/mine").text
    link = re.search(r'href="(/suggestions/mine/files/(\d+))"[^>]*>调研报告.pdf<', mine)
    assert link, mine
    _only_the_proposer_reads(client, auth, link, "调研报告.pdf", other["proposer_code"])


def test_the_proposer_lists_and_downloads_the_files_of_the_answers_to_them(
    client: TestClient, auth: Any, org: Org, store: Path, sqlite_engine: Engine
) -> None:
    item = client.post("/api/v1/staff/suggestions", json=NEW, headers=auth("intake")).json()
    other = client.post("/api/v1/staff/suggestions", json={**NEW, "number": 44, "proposer": {
        "name": "王委员", "kind": "cppcc_member"}}, headers=auth("intake")).json()  # fmt: skip
    _answer(client, auth, org, item["id"])
    with session_factory(sqlite_engine)() as s:
        answer_id = s.scalar(select(SuggestionAnswer.id).where(SuggestionAnswer.suggestion_id == item["id"]))
    r = client.post(f"/api/v1/staff/suggestions/{item['id']}/answers/{answer_id}/attachments",
                    files=_files(("补贴办法.pdf", files.PDF)), headers=auth("housing-head"))  # fmt: skip
    assert r.status_code == 201, r.text
    mine = _open(client, item["proposer_code"])
    link = re.search(
        r'<ul class="files answer-files"><li><a href="(/suggestions/mine/files/(\d+))"[^>]*>补贴办法.pdf<',
        mine,
    )
    assert link, mine
    _only_the_proposer_reads(client, auth, link, "补贴办法.pdf", other["proposer_code"])
    with session_factory(sqlite_engine)() as s:  # the reader is known by its kind, never by a label
        proposer = s.get(Proposer, s.get(Suggestion, item["id"]).proposer_id)  # type: ignore[union-attr]
        assert proposer is not None
        impostor = Actor(Role.citizen, f"proposer:{proposer.name}", user_id=proposer.id)
        assert may_read(s, proposer_reader(proposer), "suggestion_answer", answer_id)
        assert not may_read(s, impostor, "suggestion_answer", answer_id)
        assert not may_read(
            s,
            Actor(Role.citizen, "proposer reading own files", user_id=proposer.id),
            "suggestion",
            item["id"],
        )
