"""Organisation members change their own password under /org; after an administrator's reset they must, and
they still reach no staff page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from minyi.accounts.actions import actor_of
from minyi.accounts.actor import SYSTEM
from minyi.accounts.manage import do_reset_password
from minyi.accounts.models import User
from minyi.accounts.roles import Role
from minyi.audit.models import AuditEntry
from minyi.db import session_factory
from minyi.organisations.actions import do_add_member, do_add_organisation
from minyi.organisations.schemas import MemberIn, OrganisationIn
from tests.support.factories import PASSWORD, Org
from tests.web.pages_support import csrf_of, sign_in

NEW = "a-much-longer-new-secret-42"


@pytest.fixture
def member_id(sqlite_engine: Engine, org: Org) -> Iterator[int]:
    with session_factory(sqlite_engine)() as s:
        o = do_add_organisation(
            s, SYSTEM, OrganisationIn.model_validate({"name": "市总工会", "kind": "union"})
        )
        m = do_add_member(s, SYSTEM, o.id, MemberIn(username="union-member", password=PASSWORD))
        yield m.user_id


def _change(client: TestClient, current: str, new: str, again: str | None = None) -> object:
    token = csrf_of(client.get("/org/password").text)
    data = {"csrf_token": token, "current_password": current, "password": new, "password_again": again or new}
    return client.post("/org/password", data=data, follow_redirects=False)


def test_a_member_changes_the_password_on_the_record(client: TestClient, sqlite_engine: Engine,
                                                      member_id: int) -> None:  # fmt: skip
    sign_in(client, "union-member", PASSWORD)
    assert 'href="/org/password"' in client.get("/org").text
    assert _change(client, "wrong-password", NEW).status_code == 422  # type: ignore[attr-defined]
    assert _change(client, PASSWORD, "short").status_code == 422  # type: ignore[attr-defined]
    assert _change(client, PASSWORD, NEW, "other").status_code == 422  # type: ignore[attr-defined]
    r = _change(client, PASSWORD, NEW)
    assert r.status_code == 303 and r.headers["location"] == "/org?done=password"  # type: ignore[attr-defined]
    with session_factory(sqlite_engine)() as s:
        actions = s.scalars(select(AuditEntry.action).where(AuditEntry.object_id == str(member_id))).all()
        assert "user.change_password" in actions
    done = client.get("/org?done=password").text
    assert "新密码已保存" in done and "已代为反映" not in done
    client.cookies.clear()
    assert sign_in(client, "union-member", NEW).status_code == 303


def test_after_a_reset_the_member_must_change_it_first(client: TestClient, sqlite_engine: Engine,
                                                        member_id: int, org: Org) -> None:  # fmt: skip
    with session_factory(sqlite_engine)() as s:
        admin = s.scalars(select(User).where(User.role == Role.admin)).first()
        assert admin is not None
        temporary = do_reset_password(s, actor_of(admin), member_id)
    sign_in(client, "union-member", temporary)
    r = client.get("/org", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/org/password"
    assert client.get("/org/password").status_code == 200
    assert _change(client, temporary, NEW).status_code == 303  # type: ignore[attr-defined]
    assert client.get("/org").status_code == 200
    with session_factory(sqlite_engine)() as s:
        assert s.get(User, member_id).must_change_password is False  # type: ignore[union-attr]


@pytest.mark.parametrize("page", ["/staff", "/staff/password", "/staff/consultations", "/staff/cases"])
def test_a_member_still_reaches_no_staff_page(client: TestClient, member_id: int, page: str) -> None:
    sign_in(client, "union-member", PASSWORD)
    r = client.get(page, follow_redirects=False)
    assert r.status_code in (303, 401, 404) and not (r.status_code == 303 and r.headers["location"] == page)
    assert "修改密码" not in r.text or r.status_code != 200
