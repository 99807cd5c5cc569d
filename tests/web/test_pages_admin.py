"""Administrators edit and disable departments, staff and routing rules; passwords are changed and reset."""

from __future__ import annotations

import re

from minyi.departments.models import Department, RoutingRule
from tests.support.tamper import arrange
from tests.web.pages_support import *  # noqa: F403
from tests.web.pages_support import csrf_of, sign_in, user

TEMPORARY = re.compile(r"登录后须立即修改）：(\S+?)</p>")


def test_admin_renames_and_disables_a_department(client, db) -> None:  # type: ignore[no-untyped-def]
    dept = db.query(Department).filter_by(active=True).order_by(Department.id).first()
    arrange(db)
    sign_in(client, "admin")
    page = client.get("/staff/admin")
    r = client.post(f"/staff/admin/departments/{dept.id}/edit", data={"csrf_token": csrf_of(page.text),
                    "name": "城市管理综合执法局", "region_code": dept.region_code or ""}, follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    db.expire_all()
    changed = db.get(Department, dept.id)
    assert changed.name == "城市管理综合执法局" and changed.active is False


def test_a_disabled_account_cannot_sign_in_and_its_session_ends(client, db) -> None:  # type: ignore[no-untyped-def]
    handler = user(db, "cgj-handler")
    other = type(client)(client.app, base_url="http://testserver")
    sign_in(other, "cgj-handler")
    assert other.get("/staff").status_code == 200
    sign_in(client, "admin")
    page = client.get("/staff/admin")
    r = client.post(f"/staff/admin/users/{handler.id}/edit", data={"csrf_token": csrf_of(page.text),
                    "display_name": handler.display_name, "role": "handler",
                    "department_id": str(handler.department_id)}, follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    assert other.get("/staff", follow_redirects=False).headers["location"].startswith("/staff/login")
    assert sign_in(other, "cgj-handler").status_code == 401


def test_an_admin_cannot_disable_themselves(client, db) -> None:  # type: ignore[no-untyped-def]
    admin = user(db, "admin")
    sign_in(client, "admin")
    page = client.get("/staff/admin")
    r = client.post(f"/staff/admin/users/{admin.id}/edit", data={"csrf_token": csrf_of(page.text),
                    "display_name": "admin", "role": "admin"}, follow_redirects=False)  # fmt: skip
    assert r.status_code == 422 and "不能停用自己的账号" in r.text


def test_a_reset_password_must_be_changed_at_the_next_sign_in(client, db) -> None:  # type: ignore[no-untyped-def]
    handler = user(db, "cgj-handler")
    sign_in(client, "admin")
    page = client.get("/staff/admin")
    shown = client.post(f"/staff/admin/users/{handler.id}/reset", data={"csrf_token": csrf_of(page.text)})
    temporary = TEMPORARY.search(shown.text).group(1)
    assert sign_in(client, "cgj-handler").status_code == 401  # the old password no longer works
    assert sign_in(client, "cgj-handler", temporary).status_code == 303
    assert client.get("/staff", follow_redirects=False).headers["location"] == "/staff/password"
    form = client.get("/staff/password")
    data = {"csrf_token": csrf_of(form.text), "current_password": temporary, "password": "my-own-secret-1",
            "password_again": "my-own-secret-2"}  # fmt: skip
    assert client.post("/staff/password", data=data, follow_redirects=False).status_code == 422
    r = client.post(
        "/staff/password", data={**data, "password_again": "my-own-secret-1"}, follow_redirects=False
    )
    assert r.status_code == 303
    assert client.get("/staff").status_code == 200
    assert sign_in(client, "cgj-handler", "my-own-secret-1").status_code == 303


def test_routing_rules_show_names_and_can_be_edited_and_removed(client, db) -> None:  # type: ignore[no-untyped-def]
    rule = db.query(RoutingRule).filter(RoutingRule.topic_prefix != "").order_by(RoutingRule.id).first()
    rule_id = rule.id
    arrange(db)
    sign_in(client, "admin")
    page = client.get("/staff/admin")
    rules = page.text[page.text.index('id="routing-rules"') : page.text.index('id="policies"')]
    assert "城乡建设" in rules or "交通运输" in rules  # topic names, not only codes
    r = client.post(f"/staff/admin/routing-rules/{rule.id}/edit", data={"csrf_token": csrf_of(page.text),
                    "topic_prefix": "06.01", "region_prefix": "", "department_id": str(rule.department_id),
                    "priority": "5"}, follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    assert "出租车管理" in client.get("/staff/admin").text
    r = client.post(f"/staff/admin/routing-rules/{rule.id}/remove", data={"csrf_token": csrf_of(page.text)},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    db.expire_all()
    assert db.get(RoutingRule, rule_id) is None
