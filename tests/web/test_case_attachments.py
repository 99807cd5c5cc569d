"""A citizen's files on a case, through HTTP: stored clean, read only by staff who may see the case, never public."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from minyi.db import reset_caches
from tests.support import files
from tests.support.factories import Org
from tests.web.test_api import SUB, _staff_id


@pytest.fixture(autouse=True)
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MINYI_DATA_DIR", str(tmp_path / "data"))
    reset_caches()
    return tmp_path / "data" / "attachments"


def _case(client: TestClient) -> str:
    r = client.post("/api/v1/cases", json=SUB)
    assert r.status_code == 201, r.text
    return str(r.json()["tracking_code"])


def _upload(client: TestClient, code: str, *items: tuple[str, bytes], **kw: Any) -> Any:
    return client.post(f"/api/v1/cases/{code}/attachments", files=[("files", (n, d)) for n, d in items], **kw)


def test_a_photo_is_stored_without_its_gps_and_served_as_a_download(
    client: TestClient, auth: Any, org: Org, store: Path
) -> None:
    code = _case(client)
    r = _upload(client, code, ("../../现场.jpg", files.jpeg_with_gps()), ("说明.txt", "情况说明".encode()))
    assert r.status_code == 201, r.text
    photo, note = r.json()
    assert photo["filename"] == "现场.jpg" and photo["content_type"] == "image/jpeg"
    stored = list(store.rglob("*"))
    assert all(files.GPS_MARK.encode() not in p.read_bytes() for p in stored if p.is_file())
    cid = _staff_id(client, auth, code)
    listed = client.get(f"/api/v1/staff/cases/{cid}/attachments", headers=auth("intake")).json()
    assert [a["id"] for a in listed] == [photo["id"], note["id"]]
    got = client.get(f"/api/v1/attachments/{photo['id']}", headers=auth("intake"))
    assert got.status_code == 200
    assert got.headers["content-disposition"].startswith("attachment;")
    assert got.headers["x-content-type-options"] == "nosniff" and got.headers["content-type"] == "image/jpeg"
    with Image.open(io.BytesIO(got.content)) as img:
        assert not img.getexif()
    assert files.GPS_MARK not in client.get(f"/api/v1/cases/{code}").text  # the public view names no file


def test_staff_of_another_department_get_the_same_404_as_for_a_missing_file(
    client: TestClient, auth: Any, org: Org
) -> None:
    code = _case(client)
    att = _upload(client, code, ("a.pdf", files.PDF)).json()[0]
    cid = _staff_id(client, auth, code)
    client.post(f"/api/v1/staff/cases/{cid}/accept", json={}, headers=auth("intake"))
    client.post(
        f"/api/v1/staff/cases/{cid}/assign", json={"department_id": org.housing.id}, headers=auth("intake")
    )
    assert client.get(f"/api/v1/attachments/{att['id']}", headers=auth("housing-handler")).status_code == 200
    wrong = client.get(f"/api/v1/attachments/{att['id']}", headers=auth("transport-handler"))
    missing = client.get("/api/v1/attachments/999999", headers=auth("transport-handler"))
    assert wrong.status_code == missing.status_code == 404 and wrong.json() == missing.json()
    assert client.get(f"/api/v1/attachments/{att['id']}").status_code == 401  # no credentials, no file
    r = client.get(f"/api/v1/staff/cases/{cid}/attachments", headers=auth("transport-handler"))
    assert r.status_code == 404


@pytest.mark.parametrize(
    ("name", "data", "status"),
    [("photo.jpg", files.HTML, 422), ("run.exe", files.EXE, 422), ("p.pdf", files.jpeg_with_gps(), 422),
     ("big.txt", b"a" * (5 * 1024 * 1024 + 1), 413)],
)  # fmt: skip
def test_spoofed_and_oversized_files_are_refused_and_nothing_is_written(
    client: TestClient, auth: Any, org: Org, store: Path, name: str, data: bytes, status: int
) -> None:
    code = _case(client)
    r = _upload(client, code, ("ok.pdf", files.PDF), (name, data))
    assert r.status_code == status, r.text
    assert r.json()["error"]["field"] == "files"
    cid = _staff_id(client, auth, code)
    assert client.get(f"/api/v1/staff/cases/{cid}/attachments", headers=auth("intake")).json() == []
    assert not store.exists() or not any(p.is_file() for p in store.rglob("*"))


def test_at_most_five_files_a_case_and_none_from_staff_credentials(
    client: TestClient, auth: Any, org: Org
) -> None:
    code = _case(client)
    assert _upload(client, code, *[(f"{i}.txt", b"x%d" % i) for i in range(4)]).status_code == 201
    assert _upload(client, code, ("5.txt", b"5"), ("6.txt", b"6")).status_code == 422
    assert _upload(client, code, ("5.txt", b"5")).status_code == 201
    assert _upload(client, code, ("6.txt", b"6")).status_code == 422
    r = _upload(client, _case(client), ("a.txt", b"a"), headers=auth("intake"))
    assert r.status_code == 403


def test_the_portal_form_takes_files_with_the_demand(client: TestClient, auth: Any, org: Org) -> None:
    from tests.web.pages_support import csrf_of

    page = client.get("/submit").text
    assert 'enctype="multipart/form-data"' in page and 'type="file"' in page
    token = csrf_of(page)
    data = {"csrf_token": token, "kind": "complaint", "title": "路灯不亮", "body": "东区某路口的路灯坏了一个月，晚上很黑。",
            "consent": "1", "visibility": "public"}  # fmt: skip
    bad = client.post("/submit", data=data, files=[("files", ("x.jpg", files.HTML))], follow_redirects=False)
    assert bad.status_code == 422 and "扩展名" in bad.text
    r = client.post(
        "/submit", data=data, files=[("files", ("x.jpg", files.jpeg_with_gps()))], follow_redirects=False
    )
    assert r.status_code == 303, r.text[:2000]
    code = client.get("/submit/done").text
    cid = _staff_id(client, auth, _code_in(code))
    assert len(client.get(f"/api/v1/staff/cases/{cid}/attachments", headers=auth("intake")).json()) == 1


def _code_in(html: str) -> str:
    import re

    m = re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", html)
    assert m, html[:500]
    return m.group(0)


def test_the_workbench_lists_the_files_and_serves_them_to_the_case_staff_only(
    client: TestClient, auth: Any, org: Org
) -> None:
    from tests.support.factories import PASSWORD
    from tests.web.pages_support import sign_in

    code = _case(client)
    att = _upload(client, code, ("现场说明.txt", "说明".encode())).json()[0]
    cid = _staff_id(client, auth, code)
    sign_in(client, "intake", PASSWORD)
    page = client.get(f"/staff/cases/{cid}").text
    assert f'href="/staff/attachments/{att["id"]}"' in page and "现场说明.txt" in page
    got = client.get(f"/staff/attachments/{att['id']}")
    assert got.status_code == 200 and got.content == "说明".encode()
    assert got.headers["content-disposition"].startswith("attachment;")
    sign_in(client, "transport-handler", PASSWORD)
    assert client.get(f"/staff/attachments/{att['id']}").status_code == 404
