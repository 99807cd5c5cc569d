"""Open311 GeoReport v2: every JSON answer valid against the spec's schemas, XML equal to JSON, errors in the
spec's form, submissions through the normal intake, hidden cases missing."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from minyi.cases.models import Case, CaseEvent
from minyi.db import session_factory
from tests.support.factories import Org
from tests.support.open311 import as_strings, validate, xml_object, xml_rows
from tests.web.open311_world import World, make_world

BASE = "/open311/v2"
WIDE = {"start_date": "2000-01-01T00:00:00Z", "end_date": "2000-03-01T00:00:00Z"}


@pytest.fixture
def world(sqlite_engine: Engine, org: Org, client: TestClient) -> World:
    return make_world(sqlite_engine, org)


def _json(client: TestClient, path: str, **params: Any) -> Any:
    r = client.get(BASE + path, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def _same_as_xml(client: TestClient, path: str, data: Any, **params: Any) -> None:
    r = client.get(BASE + path.replace(".json", ".xml"), params=params)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/xml")
    parsed = xml_object(r.content) if isinstance(data, dict) else xml_rows(r.content)
    assert parsed == as_strings(data)


def test_services_and_definitions_are_valid_and_the_xml_matches(client: TestClient, world: World) -> None:
    services = _json(client, "/services.json")
    validate("services.json", services)
    assert {"complaint.01", "inquiry.00"} <= {s["service_code"] for s in services}
    assert not any(s["service_code"].startswith("report.") for s in services)  # 举报 is never public
    _same_as_xml(client, "/services.json", services)
    definition = _json(client, "/services/complaint.01.json")
    validate("service-definition.json", definition)
    assert definition["attributes"][0]["values"]
    _same_as_xml(client, "/services/complaint.01.json", definition)
    discovery = _json(client, "/discovery.json")
    assert discovery["endpoints"][0]["url"].endswith("/open311/v2")


def test_requests_list_shows_public_cases_only_valid_and_matching_xml(
    client: TestClient, world: World, org: Org
) -> None:
    rows = _json(client, "/requests.json")
    validate("requests.json", rows)
    ids = {int(r["service_request_id"]) for r in rows}
    assert ids == {world.open_id, world.closed_id}
    _same_as_xml(client, "/requests.json", rows)
    by_id = {int(r["service_request_id"]): r for r in rows}
    assert by_id[world.closed_id]["status"] == "closed"
    assert by_id[world.closed_id]["agency_responsible"] == org.housing.name
    assert by_id[world.open_id]["status"] == "open" and by_id[world.open_id]["service_code"] == "complaint.01"
    one = _json(client, f"/requests/{world.closed_id}.json")
    validate("requests.json", one)
    assert one == [by_id[world.closed_id]]
    _same_as_xml(client, f"/requests/{world.closed_id}.json", one)


def test_filters_status_service_code_ids_dates_and_paging(client: TestClient, world: World) -> None:
    ids = lambda rows: {int(r["service_request_id"]) for r in rows}  # noqa: E731
    assert ids(_json(client, "/requests.json", status="closed")) == {world.closed_id}
    assert ids(_json(client, "/requests.json", status="open")) == {world.open_id}
    assert ids(_json(client, "/requests.json", service_code="inquiry.01,inquiry.00")) == {world.closed_id}
    assert ids(_json(client, "/requests.json", service_code="nonsense")) == set()
    both = f"{world.open_id},{world.closed_id},{','.join(map(str, world.hidden_ids))}"
    assert ids(_json(client, "/requests.json", service_request_id=both)) == {world.open_id, world.closed_id}
    assert _json(client, "/requests.json", **WIDE) == []
    page1 = _json(client, "/requests.json", page_size=1)
    page2 = _json(client, "/requests.json", page_size=1, page=2)
    assert len(page1) == len(page2) == 1 and page1 != page2


@pytest.mark.parametrize("index", [0, 1, 2])
def test_hidden_cases_are_missing_like_unknown_ones(client: TestClient, world: World, index: int) -> None:
    hidden = client.get(f"{BASE}/requests/{world.hidden_ids[index]}.json")
    unknown = client.get(f"{BASE}/requests/99999999.json")
    assert hidden.status_code == unknown.status_code == 404
    assert hidden.json() == unknown.json() and hidden.json()[0]["code"] == 404


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/requests.json", {"status": "pending"}, 400),
        ("/requests.json", {"page_size": "0"}, 400),
        ("/requests.json", {"start_date": "yesterday"}, 400),
        ("/requests.json", {"service_request_id": "1;drop"}, 400),
        ("/requests.csv", {}, 404),
        ("/services/nonsense.json", {}, 404),
        ("/requests/abc.json", {}, 404),
        ("/tokens/NOSUCHCODE.json", {}, 404),
    ],
)
def test_errors_come_in_the_spec_form(
    client: TestClient, world: World, path: str, params: dict[str, str], status: int
) -> None:
    r = client.get(BASE + path, params=params)
    assert r.status_code == status, r.text
    body = r.json()
    assert isinstance(body, list) and set(body[0]) == {"code", "description"} and body[0]["code"] == status


def _post(client: TestClient, key: str, **extra: str) -> Any:
    data = {"api_key": key, "service_code": "complaint.01", "description": "小区门口的井盖丢了，很危险。",
            "attribute[topic]": "01.01", "first_name": "伟国", "last_name": "张", "phone": "13812345678"}  # fmt: skip
    data.update(extra)
    return client.post(f"{BASE}/requests.json", data=data)


def test_a_client_submits_through_the_normal_intake_and_reads_it_back(
    sqlite_engine: Engine, org: Org, client: TestClient, world: World, auth: Any
) -> None:
    r = _post(client, world.key)
    assert r.status_code == 200, r.text
    (answer,) = r.json()
    token = answer["token"]
    assert _json(client, f"/tokens/{token}.json")[0]["service_request_id"] is None  # not yet accepted
    with session_factory(sqlite_engine)() as s:
        case = s.scalar(select(Case).order_by(Case.id.desc()).limit(1))
        assert case is not None and case.channel == "web" and case.topic_code == "01.01"
        event = s.scalar(select(CaseEvent).where(CaseEvent.case_id == case.id))
        assert event is not None and event.data["via"] == f"Open311 client: {world.client_name}"
        case_id = case.id
    accepted = client.post(f"/api/v1/staff/cases/{case_id}/accept", json={}, headers=auth("intake"))
    assert accepted.status_code == 200, accepted.text
    (found,) = _json(client, f"/tokens/{token}.json")
    assert found["service_request_id"] == str(case_id)
    read_back = _json(client, f"/requests/{case_id}.json")
    validate("requests.json", read_back)
    assert "13812345678" not in str(read_back) and "张伟国" not in str(read_back)


@pytest.mark.parametrize(
    ("extra", "status"),
    [
        ({"api_key": "o311_wrong"}, 403),
        ({"service_code": "report.01"}, 400),
        ({"service_code": "complaint.77"}, 400),
        ({"description": "   "}, 400),
        ({"lat": "100"}, 400),
        ({"jurisdiction_id": "elsewhere"}, 200),  # no jurisdiction configured: any is accepted
    ],
)
def test_bad_submissions_are_refused_in_the_spec_form_and_write_nothing(
    sqlite_engine: Engine, client: TestClient, world: World, extra: dict[str, str], status: int
) -> None:
    with session_factory(sqlite_engine)() as s:
        before = len(s.scalars(select(Case.id)).all())
    r = _post(client, world.key, **extra)
    assert r.status_code == status, r.text
    if status != 200:
        assert r.json()[0]["code"] == status
        with session_factory(sqlite_engine)() as s:
            assert len(s.scalars(select(Case.id)).all()) == before


def test_a_configured_jurisdiction_refuses_others(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from minyi.settings import get_settings

    monkeypatch.setattr(get_settings(), "open311_jurisdiction", "changsha.gov.cn")
    assert (
        client.get(f"{BASE}/services.json", params={"jurisdiction_id": "changsha.gov.cn"}).status_code == 200
    )
    r = client.get(f"{BASE}/services.json", params={"jurisdiction_id": "elsewhere"})
    assert r.status_code == 404 and r.json()[0]["code"] == 404


def test_the_rate_limit_of_a_client_application(
    sqlite_engine: Engine, client: TestClient, world: World, auth: Any
) -> None:
    r = client.post("/api/v1/open311/clients", json={"name": "慢应用", "rate_limit_per_hour": 2},
                    headers=auth("admin"))  # fmt: skip
    key = r.json()["api_key"]
    assert [_post(client, key).status_code for _ in range(3)] == [200, 200, 429]
    assert _post(client, world.key).status_code == 200  # another client is not held back


def test_only_administrators_register_client_applications_and_keys_are_shown_once(
    client: TestClient, world: World, auth: Any
) -> None:
    refused = client.post("/api/v1/open311/clients", json={"name": "x"}, headers=auth("supervisor"))
    assert refused.status_code == 403
    made = client.post("/api/v1/open311/clients", json={"name": "民生通"}, headers=auth("admin"))
    assert made.status_code == 201 and made.json()["api_key"].startswith("o311_")
    listed = client.get("/api/v1/open311/clients", headers=auth("admin")).json()
    assert {c["name"] for c in listed} == {"街坊通", "民生通"} and all(c["api_key"] is None for c in listed)
    again = client.post("/api/v1/open311/clients", json={"name": "民生通"}, headers=auth("admin"))
    assert again.status_code == 409
    assert client.get("/api/v1/open311/clients", headers=auth("housing-handler")).status_code == 403


def test_a_misconduct_report_through_open311_becomes_a_sealed_report_never_a_case(
    sqlite_engine: Engine, client: TestClient, world: World
) -> None:
    from minyi.reports.models import MisconductReport

    with session_factory(sqlite_engine)() as s:
        cases = len(s.scalars(select(Case.id)).all())
    bribe = "住建局王科长在审批中索要好处费，我交了五千元才办成。"
    r = _post(client, world.key, description=bribe)
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store", r.text
    (answer,) = r.json()
    assert (
        answer["token"] is None
        and answer["steered_to"] == "report"
        and answer["receipt"]
        and answer["passphrase"]
    )
    assert "纪检监察" in answer["service_notice"]
    xml = client.post(f"{BASE}/requests.xml", data={"api_key": world.key, "service_code": "complaint.01",
                                                    "description": bribe})  # fmt: skip
    assert xml.status_code == 200 and b"<receipt>" in xml.content
    with session_factory(sqlite_engine)() as s:
        assert len(s.scalars(select(Case.id)).all()) == cases  # never a case
        reports = s.scalars(select(MisconductReport)).all()
        assert len(reports) == 2 and all(bribe in r.what for r in reports)
