"""Organisation members through HTTP: sign in to their own page, submit for a person with consent, follow it;
never staff (pages and API), never another organisation's case, never the person's contact."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from minyi.accounts.actor import SYSTEM
from minyi.db import session_factory
from minyi.organisations.actions import do_add_member, do_add_organisation
from minyi.organisations.schemas import MemberIn, OrganisationIn
from tests.support.factories import PASSWORD, Org
from tests.web.pages_support import csrf_of, sign_in

PHONE = "13900002222"


@pytest.fixture
def members(sqlite_engine: Engine, org: Org) -> Iterator[None]:
    with session_factory(sqlite_engine)() as s:
        for name, kind, username in [("市总工会", "union", "union-member"), ("东湖社区居委会", "residents_committee",
                                                                          "committee-member")]:  # fmt: skip
            created = do_add_organisation(
                s, SYSTEM, OrganisationIn.model_validate({"name": name, "kind": kind})
            )
            do_add_member(s, SYSTEM, created.id, MemberIn(username=username, password=PASSWORD))
    yield


def _submit(client: TestClient, **extra: str) -> int:
    page = client.get("/org")
    data = {"csrf_token": csrf_of(page.text), "kind": "help", "title": "独居老人家中漏水",
            "body": "湖滨街道某小区独居老人家中水管破裂，需要尽快维修。", "contact_name": "李阿姨",
            "contact_phone": PHONE, "consent_way": "oral", "consent_on": date.today().isoformat(),
            "consent_person": "李阿姨", **extra}  # fmt: skip
    r = client.post("/org/cases", data=data, follow_redirects=False)
    assert r.status_code == 303, r.text[:3000]
    found = re.search(r'href="/org/cases/(\d+)"', client.get("/org").text)
    assert found
    return int(found.group(1))


def test_a_member_signs_in_submits_for_a_person_and_follows_it(client: TestClient, members: None) -> None:
    r = sign_in(client, "union-member", PASSWORD)
    assert r.status_code == 303 and r.headers["location"] == "/org"
    case_id = _submit(client)
    home = client.get("/org").text
    assert "独居老人家中漏水" in home and PHONE not in home
    page = client.get(f"/org/cases/{case_id}")
    assert page.status_code == 200 and 'id="case-status"' in page.text and PHONE not in page.text
    assert "李阿姨" in page.text  # the consent on the record (the organisation's own)


def test_a_misconduct_report_brought_by_a_member_goes_to_the_sealed_channel_never_a_case(
    client: TestClient, members: None, sqlite_engine: Engine
) -> None:
    """Found by an attack on this door: a member's 举报 became an ordinary public case that the reported unit saw."""
    from sqlalchemy import func, select

    from minyi.cases.models import Case
    from minyi.reports.models import MisconductReport

    sign_in(client, "union-member", PASSWORD)
    page = client.get("/org")
    data = {"csrf_token": csrf_of(page.text), "kind": "report", "title": "举报所长受贿",
            "body": "湖滨派出所王所长利用职务之便收受贿赂五万元，为他人谋取利益。", "contact_name": "李阿姨",
            "contact_phone": PHONE, "consent_way": "oral", "consent_on": date.today().isoformat(),
            "consent_person": "李阿姨"}  # fmt: skip
    r = client.post("/org/cases", data=data, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/report/done"
    done = client.get("/report/done")
    assert done.status_code == 200 and re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}", done.text)  # the receipt, once
    with session_factory(sqlite_engine)() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 0
        reports = list(s.scalars(select(MisconductReport)))
    assert len(reports) == 1 and "受贿" in reports[0].what
    assert "受贿" not in client.get("/org").text  # the organisation does not follow it


def test_consent_missing_is_refused_on_the_form(client: TestClient, members: None) -> None:
    sign_in(client, "union-member", PASSWORD)
    page = client.get("/org")
    r = client.post("/org/cases", data={"csrf_token": csrf_of(page.text), "kind": "help", "title": "漏水",
                                        "body": "水管破裂"}, follow_redirects=False)  # fmt: skip
    assert r.status_code == 422 and 'id="f-consent_person"' in r.text


def test_a_committee_registers_the_households_behind_a_group_demand(
    client: TestClient, members: None
) -> None:
    sign_in(client, "committee-member", PASSWORD)
    assert 'name="households"' in client.get("/org").text
    case_id = _submit(client, households="86", region_code="990102")
    assert "86" in client.get(f"/org/cases/{case_id}").text
    board = client.get("/scoreboard").text
    section = board[board.index('id="households"') :].split("</section>")[0]
    assert re.search(r"东区</th><td class=\"num\">1</td><td class=\"num\">86</td>", section), section
    table = client.get("/scoreboard/households.csv")
    assert table.status_code == 200 and table.text.lstrip("\ufeff").splitlines()[1] == "990102,东区,1,86"


def test_members_are_not_staff_and_see_no_other_organisations_case(
    client: TestClient, members: None, auth: object
) -> None:
    sign_in(client, "union-member", PASSWORD)
    case_id = _submit(client)
    r = client.get("/staff", follow_redirects=False)
    assert r.status_code in (302, 303) and "/staff/login" in r.headers["location"]
    assert client.get("/staff/suggestions", follow_redirects=False).status_code in (302, 303)
    token = client.post("/api/v1/auth/token", json={"username": "union-member", "password": PASSWORD})
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}  # a token, but not a staff one
    for url in ("/api/v1/staff/queue", f"/api/v1/staff/cases/{case_id}", "/api/v1/staff/suggestions"):
        assert client.get(url, headers=headers).status_code == 401, url
    client.cookies.clear()
    sign_in(client, "committee-member", PASSWORD)
    other = client.get(f"/org/cases/{case_id}")
    missing = client.get("/org/cases/999999")
    assert other.status_code == missing.status_code == 404
    assert other.text.replace(f"/org/cases/{case_id}", "") == missing.text.replace("/org/cases/999999", "")
    client.cookies.clear()
    sign_in(client, "intake", PASSWORD)
    assert client.get("/org").status_code == 404 and client.get(f"/org/cases/{case_id}").status_code == 404
    client.cookies.clear()
    r = client.get("/org", follow_redirects=False)
    assert r.status_code in (302, 303, 401)


def test_a_member_rates_a_replied_case_only_when_the_person_asked(
    client: TestClient, members: None, sqlite_engine: Engine, org: Org
) -> None:
    from minyi.cases import actions as act
    from minyi.cases.models import Case

    sign_in(client, "union-member", PASSWORD)
    case_id = _submit(client)
    with session_factory(sqlite_engine)() as s:
        case = s.get(Case, case_id)
        assert case is not None
        act.do_accept(s, case, org.actor("intake"))
        act.do_assign(s, case, org.actor("intake"), department_id=org.housing.id)
        act.do_sign_for(s, case, org.actor("housing-handler"))
        act.do_reply(s, case, org.actor("housing-handler"), text="已派人上门维修水管，并回访确认不再漏水。")
    page = client.get(f"/org/cases/{case_id}").text
    assert 'id="rate"' in page and "已派人上门维修水管" in page
    url = f"/org/cases/{case_id}/evaluation"
    r = client.post(url, data={"csrf_token": csrf_of(page), "evaluation": "satisfied"})
    assert r.status_code == 422 and "委托" in r.text
    r = client.post(url, data={"csrf_token": csrf_of(page), "evaluation": "satisfied", "asked": "1"},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    page = client.get(f"/org/cases/{case_id}").text
    assert 'id="rate"' not in page and "满意" in page
