"""The organiser imports a Word draft with a plain form (no JavaScript): the .docx passes the body guard, its
clauses fill the new-draft form, and a bad file or a control character in a text field gets a clear refusal."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from tests.support.consultations import word_file
from tests.support.factories import PASSWORD, Org
from tests.web.pages_support import csrf_of

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _sign_in(client: TestClient, username: str) -> str:
    token = csrf_of(client.get("/staff/login").text)
    r = client.post("/staff/login", data={"username": username, "password": PASSWORD, "csrf_token": token,
                                          "next": "/staff"}, follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    return csrf_of(client.get("/staff/consultations").text)


def _upload(client: TestClient, token: str, data: bytes, **fields: str) -> object:
    return client.post(
        "/staff/consultations/import-docx",
        data={"csrf_token": token, **fields},
        files={"draft_file": ("draft.docx", data, DOCX)},
    )


def _draft_of(page: str) -> str:
    m = re.search(r'<textarea id="f-draft"[^>]*>(.*?)</textarea>', page, re.S)
    assert m is not None
    return html.unescape(m.group(1))


def test_the_list_page_offers_a_plain_upload_form(client: TestClient, org: Org) -> None:
    _sign_in(client, "housing-head")
    page = client.get("/staff/consultations").text
    assert 'action="/staff/consultations/import-docx" enctype="multipart/form-data"' in page
    assert 'name="draft_file" type="file"' in page


def test_a_docx_upload_fills_the_draft(client: TestClient, org: Org) -> None:
    token = _sign_in(client, "housing-head")
    r = _upload(client, token, word_file())
    assert r.status_code == 200, r.text  # type: ignore[attr-defined]
    draft = _draft_of(r.text)  # type: ignore[attr-defined]
    assert "第一条" in draft and "为规范加装电梯工作" in draft and "第二条" in draft


def test_a_bad_file_is_refused_with_a_reason(client: TestClient, org: Org) -> None:
    token = _sign_in(client, "housing-head")
    r = _upload(client, token, b"PK\x03\x04 not really a zip \x00\x01")
    assert r.status_code == 422
    assert 'role="alert"' in r.text  # type: ignore[attr-defined]
    assert _draft_of(r.text) == ""  # type: ignore[attr-defined]


def test_text_fields_of_the_upload_are_still_checked(client: TestClient, org: Org) -> None:
    token = _sign_in(client, "housing-head")
    r = _upload(client, token, word_file(), title="电梯\x01办法")
    assert r.status_code == 422
    assert "控制字符" in r.text or "control characters" in r.text  # type: ignore[attr-defined]


def test_the_upload_needs_the_csrf_token_and_a_staff_session(client: TestClient, org: Org) -> None:
    token = _sign_in(client, "housing-head")
    assert _upload(client, "forged", word_file()).status_code in (400, 403)
    client.cookies.clear()
    r = client.post("/staff/consultations/import-docx", files={"draft_file": ("d.docx", word_file(), DOCX)},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code in (303, 400, 401, 403, 404)
    assert token
