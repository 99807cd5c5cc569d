"""The administrators' page of Open311 client applications: register with the key shown once, change the rate
limit, disable (the key is refused at once), every change on the audit chain; other roles see nothing."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from minyi.audit.models import AuditEntry
from minyi.db import session_factory
from minyi.opendata.models import Open311Client
from tests.support.factories import PASSWORD, Org
from tests.web.pages_support import csrf_of, sign_in

PAGE = "/staff/admin/open311"
SUBMIT = {"service_code": "complaint.01", "description": "小区门口的井盖丢了，很危险。"}


def _post(client: TestClient, action: str, data: dict[str, Any]) -> Any:
    token = csrf_of(client.get(PAGE).text)
    return client.post(action, data={**data, "csrf_token": token}, follow_redirects=False)


def _actions(engine: Engine) -> list[tuple[str, str | None]]:
    with session_factory(engine)() as s:
        return [(e.action, e.actor_role) for e in s.scalars(select(AuditEntry).order_by(AuditEntry.seq))]


def test_register_change_and_disable_a_client_application(
    client: TestClient, org: Org, sqlite_engine: Engine
) -> None:
    sign_in(client, "admin", PASSWORD)
    made = _post(
        client, f"{PAGE}/clients", {"name": "街坊通", "contact": "王工 010-1234", "rate_limit_per_hour": "5"}
    )
    assert made.status_code == 200 and made.headers["cache-control"] == "no-store"
    key = re.search(r"<code>(o311_[\w-]+)</code>", made.text)
    assert key, made.text
    listing = client.get(PAGE).text
    assert "街坊通" in listing and key.group(1) not in listing  # shown once, never again
    assert (
        client.post("/open311/v2/requests.json", data={**SUBMIT, "api_key": key.group(1)}).status_code == 200
    )
    with session_factory(sqlite_engine)() as s:
        client_id = s.scalar(select(Open311Client.id).where(Open311Client.name == "街坊通"))
    off = _post(client, f"{PAGE}/clients/{client_id}/edit", {"contact": "王工", "rate_limit_per_hour": "9"})
    assert off.status_code == 303
    assert (
        client.post("/open311/v2/requests.json", data={**SUBMIT, "api_key": key.group(1)}).status_code == 403
    )
    on = _post(
        client,
        f"{PAGE}/clients/{client_id}/edit",
        {"contact": "王工", "rate_limit_per_hour": "9", "active": "1"},
    )
    assert on.status_code == 303
    assert (
        client.post("/open311/v2/requests.json", data={**SUBMIT, "api_key": key.group(1)}).status_code == 200
    )
    entries = [a for a in _actions(sqlite_engine) if a[0].startswith("open311_client")]
    assert entries == [("open311_client.register", "admin"), ("open311_client.edit", "admin"),
                       ("open311_client.edit", "admin")]  # fmt: skip


def test_bad_input_is_refused_with_a_message_and_nothing_written(
    client: TestClient, org: Org, sqlite_engine: Engine
) -> None:
    sign_in(client, "admin", PASSWORD)
    before = len(_actions(sqlite_engine))
    for data in ({"name": "", "rate_limit_per_hour": "5"}, {"name": "x", "rate_limit_per_hour": "0"},
                 {"name": "x", "rate_limit_per_hour": "many"}, {"name": "长" * 101}):  # fmt: skip
        r = _post(client, f"{PAGE}/clients", data)
        assert r.status_code == 422 and 'role="alert"' in r.text, data
    assert _post(client, f"{PAGE}/clients", {"name": "a\x01b"}).status_code == 422  # refused before the page
    assert _post(client, f"{PAGE}/clients/999999/edit", {"rate_limit_per_hour": "5"}).status_code == 422
    assert len(_actions(sqlite_engine)) == before


def test_only_administrators_open_the_page(client: TestClient, org: Org) -> None:
    sign_in(client, "supervisor", PASSWORD)
    assert client.get(PAGE).status_code == 403
    token = csrf_of(client.get("/staff").text)
    r = client.post(f"{PAGE}/clients", data={"name": "x", "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 403
