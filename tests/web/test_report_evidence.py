"""Evidence of a misconduct report: sealed before it touches the disk, opened only by inspectors with the passphrase."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from minyi.attachments.models import Attachment
from minyi.audit.models import AuditEntry
from minyi.db import reset_caches, session_factory
from tests.support import files
from tests.support.factories import Org
from tests.web.test_reports import OFFICE_PASS, _office_key, _report

SECRET_TEXT = "王科长收钱的转账记录：工商银行 6222 0000 1111 2222 金额伍万元".encode()
PASS = {"X-Report-Passphrase": "my own passphrase"}


@pytest.fixture(autouse=True)
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MINYI_DATA_DIR", str(tmp_path / "data"))
    reset_caches()
    return tmp_path / "data" / "attachments"


def _evidence_count(client: TestClient, auth: Any) -> int:
    """How many evidence files the newest report holds, as an inspector lists them."""
    rid = client.get("/api/v1/discipline/reports", headers=auth("inspector")).json()[0]["id"]
    return len(client.get(f"/api/v1/discipline/reports/{rid}/evidence", headers=auth("inspector")).json())


def _report_form(page: str, org: Org, what: str) -> dict[str, str]:
    from tests.web.pages_support import csrf_of

    return {"csrf_token": csrf_of(page), "department_id": str(org.housing.id), "what": what,
            "passphrase": "my own passphrase", "passphrase2": "my own passphrase"}  # fmt: skip


def _evidence(client: TestClient, receipt: str, *items: tuple[str, bytes]) -> Any:
    return client.post(f"/api/v1/reports/{receipt}/evidence", headers=PASS,
                       files=[("files", item) for item in items])  # fmt: skip


def test_evidence_is_neither_in_the_database_nor_in_the_store_in_clear(
    client: TestClient, auth: Any, org: Org, inspectors: None, store: Path, sqlite_engine: Engine
) -> None:
    _office_key(client, auth)
    receipt = _report(client, org)
    r = _evidence(client, receipt, ("王科长转账.txt", SECRET_TEXT), ("现场.jpg", files.jpeg_with_gps()))
    assert r.status_code == 201, r.text
    assert r.json() == {"added": 2}
    db_file = Path(str(sqlite_engine.url.database))
    sqlite_engine.dispose()
    blobs = [db_file.read_bytes(), *(p.read_bytes() for p in store.rglob("*") if p.is_file())]
    for needle in (SECRET_TEXT, "王科长转账".encode(), files.GPS_MARK.encode(), b"\xff\xd8\xff"):
        assert all(needle not in blob for blob in blobs), needle
    with session_factory(sqlite_engine)() as s:
        rows = s.scalars(select(Attachment)).all()
        assert {(r.filename, r.content_type) for r in rows} == {("evidence", "application/octet-stream")}
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "attachment.added")).all()
        assert sorted(e.data["sha256"] for e in audit) == sorted(r.sha256 for r in rows)


def test_only_inspectors_outside_the_accused_unit_open_evidence_with_the_passphrase(
    client: TestClient, auth: Any, org: Org, inspectors: None
) -> None:
    _office_key(client, auth)
    receipt = _report(client, org)
    assert _evidence(client, receipt, ("转账.txt", SECRET_TEXT)).status_code == 201
    rid = client.get("/api/v1/discipline/reports", headers=auth("inspector")).json()[0]["id"]
    (ev,) = client.get(f"/api/v1/discipline/reports/{rid}/evidence", headers=auth("inspector")).json()
    url = f"/api/v1/discipline/reports/{rid}/evidence/{ev['id']}"
    for who in ("housing-inspector", "housing-head", "admin", "supervisor"):
        assert client.post(url, json={"passphrase": OFFICE_PASS}, headers=auth(who)).status_code == 404, who
        assert client.get(f"/api/v1/attachments/{ev['id']}", headers=auth(who)).status_code == 404, who
    assert client.get(f"/api/v1/attachments/{ev['id']}", headers=auth("inspector")).status_code == 404
    wrong = client.post(url, json={"passphrase": "not the office passphrase"}, headers=auth("inspector"))
    assert wrong.status_code == 422
    got = client.post(url, json={"passphrase": OFFICE_PASS}, headers=auth("inspector"))
    assert got.status_code == 200 and got.content == SECRET_TEXT
    assert (
        got.headers["content-disposition"].startswith("attachment;")
        and "filename*=UTF-8''" in got.headers["content-disposition"]
    )
    assert got.headers["x-content-type-options"] == "nosniff"


def test_evidence_is_refused_before_the_office_has_a_key_and_when_spoofed(
    client: TestClient, auth: Any, org: Org, inspectors: None
) -> None:
    receipt = _report(client, org)
    assert _evidence(client, receipt, ("a.txt", b"abc")).status_code == 422
    _office_key(client, auth)
    assert _evidence(client, receipt, ("a.jpg", files.HTML)).status_code == 422
    bad = client.post(f"/api/v1/reports/{receipt}/evidence", headers={"X-Report-Passphrase": "wrong one!"},
                      files=[("files", ("a.txt", b"abc"))])  # fmt: skip
    assert bad.status_code == 404


def test_the_report_form_takes_evidence_files(
    client: TestClient, auth: Any, org: Org, inspectors: None
) -> None:

    _office_key(client, auth)
    page = client.get("/report").text
    assert 'enctype="multipart/form-data"' in page
    data = _report_form(page, org, "科长收受好处费五千元，有转账记录。")
    r = client.post("/report", data=data, files=[("files", ("记录.pdf", files.PDF))], follow_redirects=False)
    assert r.status_code == 303, r.text[:1000]
    assert _evidence_count(client, auth) == 1


def test_control_characters_in_an_upload_form_are_refused_not_stored(
    client: TestClient, auth: Any, org: Org, inspectors: None
) -> None:

    _office_key(client, auth)
    page = client.get("/report").text
    data = _report_form(page, org, "科长收受好处费\x00五千元，有记录。")
    r = client.post("/report", data=data, files=[("files", ("记录.pdf", files.PDF))], follow_redirects=False)
    assert r.status_code == 422
    assert client.get("/api/v1/discipline/reports", headers=auth("inspector")).json() == []
    big = client.post(
        "/api/v1/reports",
        json={"department_id": 2**40, "what": "科长收受好处费五千元", "passphrase": "x" * 12},
    )
    assert big.status_code == 422


def test_the_reporter_adds_evidence_on_the_follow_page(
    client: TestClient, auth: Any, org: Org, inspectors: None
) -> None:
    from tests.web.pages_support import csrf_of

    _office_key(client, auth)
    receipt = _report(client, org)
    page = client.get("/report/follow").text
    client.post(
        "/report/follow",
        data={"csrf_token": csrf_of(page), "receipt": receipt, "passphrase": "my own passphrase"},
    )
    view = client.get("/report/view").text
    assert 'id="evidence-form"' in view
    bad = client.post(
        "/report/evidence", data={"csrf_token": csrf_of(view)}, files=[("files", ("x.jpg", files.HTML))]
    )
    assert bad.status_code == 422 and "扩展名" in bad.text
    ok = client.post("/report/evidence", data={"csrf_token": csrf_of(view)}, files=[("files", ("x.pdf", files.PDF))],
                     follow_redirects=False)  # fmt: skip
    assert ok.status_code == 303
    assert _evidence_count(client, auth) == 1


def test_the_inspector_page_shows_the_deadlines_and_opens_evidence_with_the_passphrase(
    client: TestClient, auth: Any, org: Org, inspectors: None
) -> None:
    from tests.support.factories import PASSWORD
    from tests.web.pages_support import csrf_of, sign_in

    _office_key(client, auth)
    receipt = _report(client, org)
    assert _evidence(client, receipt, ("转账.txt", SECRET_TEXT)).status_code == 201
    rid = client.get("/api/v1/discipline/reports", headers=auth("inspector")).json()[0]["id"]
    (ev,) = client.get(f"/api/v1/discipline/reports/{rid}/evidence", headers=auth("inspector")).json()
    sign_in(client, "inspector", PASSWORD)
    page = client.get(f"/staff/reports/{rid}").text
    assert 'id="report-deadlines"' in page and "受理告知" in page and f"/evidence/{ev['id']}" in page
    url = f"/staff/reports/{rid}/evidence/{ev['id']}"
    wrong = client.post(url, data={"csrf_token": csrf_of(page), "passphrase": "nope"}, follow_redirects=False)
    assert wrong.status_code == 303 and "error=" in wrong.headers["location"]
    got = client.post(url, data={"csrf_token": csrf_of(page), "passphrase": OFFICE_PASS})
    assert got.status_code == 200 and got.content == SECRET_TEXT
    sign_in(client, "housing-inspector", PASSWORD)
    token = csrf_of(client.get("/staff/reports").text)
    assert client.post(url, data={"csrf_token": token, "passphrase": OFFICE_PASS}).status_code == 404
