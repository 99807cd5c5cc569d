"""The public forms anyone may post are limited per address, in the database every process shares: new demands,
tracking-code lookups (page and API) and "tell me" subscriptions answer a structured 429 past their limit."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import func, select

from minyi.cases.models import Case
from minyi.ratelimit import public
from minyi.ratelimit.counters import Limit
from minyi.settings import get_settings
from tests.web.pages_support import *  # noqa: F403
from tests.web.pages_support import post_form


def _allow(monkeypatch: pytest.MonkeyPatch, what: str, n: int) -> None:
    if what == "submit":  # the deployment's number (`public_submissions_per_hour`)
        monkeypatch.setattr(get_settings(), "public_submissions_per_hour", n)
        return
    limit, zh, en = public.LIMITS[what]
    monkeypatch.setitem(public.LIMITS, what, (Limit(limit.name, n, limit.window_s), zh, en))


def test_tracking_code_guesses_are_limited_on_the_page_and_the_api(client: Any, monkeypatch: Any) -> None:
    _allow(monkeypatch, "track", 2)
    assert [client.get("/api/v1/cases/AAAA-BBBB-CCCC").status_code for _ in range(2)] == [404, 404]
    refused = client.get("/api/v1/cases/AAAA-BBBB-CCCC")
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "rate_limited"
    assert int(refused.headers["retry-after"]) > 0
    page = post_form(client, "/track", "/track", {"code": "AAAA-BBBB-CCCC"})
    assert page.status_code == 429 and "查询过于频繁" in page.text


def test_the_portal_form_refuses_a_flood_and_writes_nothing(client: Any, db: Any, monkeypatch: Any) -> None:
    _allow(monkeypatch, "submit", 1)
    before = db.scalar(select(func.count()).select_from(Case))
    db.rollback()
    data = {"kind": "complaint", "title": "幸福路路灯不亮", "body": "幸福路与人民路口的路灯坏了一个月，晚上很黑。",
            "visibility": "public", "consent": "1"}  # fmt: skip
    assert post_form(client, "/submit", "/submit", data).status_code == 303
    again = post_form(client, "/submit", "/submit", {**data, "title": "另一件事"})
    assert again.status_code == 429 and "提交过于频繁" in again.text
    assert db.scalar(select(func.count()).select_from(Case)) == before + 1


def test_subscriptions_are_limited_per_address(client: Any, monkeypatch: Any) -> None:
    _allow(monkeypatch, "follow", 1)
    page = client.get("/consultations")
    token = re.search(r'name="t" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    follow = {"t": token, "channel": "email", "language": "zh"}
    first = post_form(client, "/consultations", "/notify/follow", {**follow, "address": "fan@example.com"})
    assert first.status_code == 200
    second = post_form(
        client, "/consultations", "/notify/follow", {**follow, "address": "victim@example.com"}
    )
    assert second.status_code == 429 and "订阅过于频繁" in second.text
