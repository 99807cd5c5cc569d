"""A third-party Open311 client (georeport, from PyPI) reads minyi as it would any city: a black-box check.

georeport has no call to submit, so the submission goes as the spec's form-encoded POST (see
docs/architecture.md); everything read back goes through the library.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from georeport import GeoReport
from sqlalchemy import select

from minyi.cases.models import Case
from minyi.db import session_factory
from tests.support.open311 import validate
from tests.web.open311_world import World, make_world

ROOT = "http://testserver/open311/v2"


class _Transport:
    """What georeport imports as `requests`, answered by the app in process (no network)."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def get(self, url: str, params: dict[str, str] | None = None) -> Any:
        return self.client.get(url, params=params or {})

    def post(self, url: str, data: dict[str, str] | None = None, **_: Any) -> Any:
        return self.client.post(url, data=data or {})


def test_georeport_lists_services_reads_definitions_and_requests(
    client: TestClient, sqlite_engine: Any, org: Any, monkeypatch: pytest.MonkeyPatch, auth: Any
) -> None:
    import georeport.georeport as library

    world: World = make_world(sqlite_engine, org)
    monkeypatch.setattr(library, "requests", _Transport(client))
    for fmt in ("json", "xml"):
        geo = GeoReport(ROOT, output_format=fmt)
        services = geo.get_service_list()
        assert {s["service_code"] for s in services} >= {"complaint.01", "help.00"}
        definition = geo.get_service_definition("complaint.01")
        assert definition["service_code"] == "complaint.01"
        listed = geo.get_service_requests(status="closed")
        one = listed if isinstance(listed, dict) else listed[0]  # xmltodict gives a dict for a single item
        assert one["service_request_id"] == str(world.closed_id)
        assert geo.get_service_request(str(world.open_id))["status"] == "open"
    posted = client.post(f"{ROOT}/requests.json", data={"api_key": world.key, "service_code": "help.00",
                                                        "description": "楼道灯坏了，求助修理。"})  # fmt: skip
    assert posted.status_code == 200, posted.text
    token = posted.json()[0]["token"]
    assert client.get(f"{ROOT}/tokens/{token}.json").json()[0]["service_request_id"] is None
    with session_factory(sqlite_engine)() as s:
        case_id = s.scalar(select(Case.id).order_by(Case.id.desc()).limit(1))
    assert (
        client.post(f"/api/v1/staff/cases/{case_id}/accept", json={}, headers=auth("intake")).status_code
        == 200
    )
    assert client.get(f"{ROOT}/tokens/{token}.json").json()[0]["service_request_id"] == str(case_id)
    geo = GeoReport(ROOT)
    read = geo.get_service_request(str(case_id))
    validate("requests.json", [read])
    assert read["service_code"] == "help.00" and read["status"] == "open"
