"""Security of the pages: anonymous and wrong-department refusals, CSRF, invisible cases look missing."""

from __future__ import annotations

import pytest

from minyi.departments.models import Department
from tests.support.tamper import arrange
from tests.web.pages_support import *  # noqa: F403
from tests.web.pages_support import csrf_of, find_case, sign_in

STAFF_GETS = ["/staff", "/staff/board", "/staff/admin", "/staff/cases/1"]
STAFF_POSTS = [
    "/staff/cases/1/act/accept",
    "/staff/cases/sign-for",
    "/staff/admin/departments",
    "/staff/logout",
]


@pytest.mark.parametrize("url", STAFF_GETS)
def test_anonymous_users_are_sent_to_sign_in(client, url: str) -> None:  # type: ignore[no-untyped-def]
    r = client.get(url, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/staff/login")


@pytest.mark.parametrize("url", STAFF_POSTS[:-1])
def test_anonymous_posts_are_refused_even_with_a_valid_token(client, url: str) -> None:  # type: ignore[no-untyped-def]
    token = csrf_of(client.get("/staff/login").text)
    r = client.post(url, data={"csrf_token": token, "version": "1"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/staff/login")


@pytest.mark.parametrize("url", ["/submit", "/track", "/staff/login", *STAFF_POSTS])
def test_posts_without_the_csrf_token_are_refused(client, url: str) -> None:  # type: ignore[no-untyped-def]
    client.get("/")  # the browser has its CSRF cookie
    assert client.post(url, data={"code": "x"}, follow_redirects=False).status_code == 403
    assert client.post(url, data={"csrf_token": "forged"}, follow_redirects=False).status_code == 403


def test_a_token_from_another_browser_is_refused(client, demo_engine) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from minyi.app import create_app

    with TestClient(create_app(demo_engine)) as other:
        foreign = csrf_of(other.get("/track").text)
    client.get("/track")
    assert client.post("/track", data={"csrf_token": foreign, "code": "x"}).status_code == 403


def test_the_token_changes_with_the_session(client) -> None:  # type: ignore[no-untyped-def]
    before = csrf_of(client.get("/staff/login").text)
    sign_in(client, "zjj-handler")
    page = client.get("/staff")
    assert csrf_of(page.text) != before
    r = client.post("/staff/logout", data={"csrf_token": before}, follow_redirects=False)
    assert r.status_code == 403


def test_other_departments_cases_answer_like_missing_ones(client, db) -> None:  # type: ignore[no-untyped-def]
    case = find_case(db, status="in_progress")
    other = next(d for d in db.query(Department).all() if d.id != case.department_id)
    arrange(db)
    sign_in(client, f"{other.code}-handler")
    hidden = client.get(f"/staff/cases/{case.id}")
    missing = client.get("/staff/cases/987654")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.text.replace(f"/cases/{case.id}", "/cases/X") == missing.text.replace(
        "/cases/987654", "/cases/X"
    )
    token = csrf_of(client.get("/staff").text)
    r = client.post(f"/staff/cases/{case.id}/act/reply", data={"csrf_token": token, "version": case.version,
                    "text": "not mine"})  # fmt: skip
    assert r.status_code == 404
    assert f'/staff/cases/{case.id}"' not in client.get("/staff?view=overdue").text


def test_contact_is_shown_only_to_those_allowed(client, db) -> None:  # type: ignore[no-untyped-def]
    from minyi.cases.models import Submitter

    case = next(c for c in db.query(__import__("minyi.cases.models", fromlist=["Case"]).Case).filter_by(
        status="in_progress") if c.submitter_id)  # fmt: skip
    phone = db.get(Submitter, case.submitter_id).phone
    code = db.get(Department, case.department_id).code
    anonymous = case.anonymous
    arrange(db)
    sign_in(client, "intake")
    assert phone in client.get(f"/staff/cases/{case.id}").text
    client.cookies.clear()
    sign_in(client, f"{code}-handler")
    page = client.get(f"/staff/cases/{case.id}").text
    assert (phone in page) is (not anonymous)


def test_login_does_not_redirect_off_site(client) -> None:  # type: ignore[no-untyped-def]
    token = csrf_of(client.get("/staff/login").text)
    r = client.post("/staff/login", data={"username": "admin", "password": "minyi-demo-2026", "csrf_token": token,
                    "next": "//evil.example/staff"}, follow_redirects=False)  # fmt: skip
    assert r.headers["location"] == "/staff"


def test_a_department_name_cannot_break_out_of_the_scoreboard_script(client, db) -> None:  # type: ignore[no-untyped-def]
    import json
    import re

    from minyi.cases.models import Case

    planted = "</script><script>alert(1)</script>&\u2028"
    busiest = db.query(Case.department_id).filter(Case.department_id.isnot(None)).first()[0]
    department = db.get(Department, busiest)
    department.name = department.name_en = planted
    arrange(db)
    page = client.get("/scoreboard").text
    assert "<script>alert(1)" not in page
    data = re.search(r'<script type="application/json" id="chart-data">(.*?)</script>', page, re.S)
    assert data and "\u2028" not in data.group(1) and "&" not in data.group(1)
    assert planted in json.loads(data.group(1))["names"]


def test_the_public_list_follows_per_page(client) -> None:  # type: ignore[no-untyped-def]
    one = client.get("/cases", params={"per_page": 1}).text
    three = client.get("/cases", params={"per_page": 3}).text
    assert one.count('href="/cases/') < three.count('href="/cases/')
