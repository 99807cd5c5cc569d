"""No public API or page ever shows personal data: walk every public GET endpoint over cases full of it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from minyi.accounts.actor import CITIZEN
from minyi.app import create_app
from minyi.cases import actions as act
from minyi.cases.models import Case
from minyi.cases.rules import Evaluation
from minyi.db import session_factory
from tests.support.factories import make_org, submit
from tests.web.pages_support import csrf_of


def _id_number(body17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(body17, weights, strict=True))
    return body17 + "10X98765432"[total % 11]


def _luhn(body: str) -> str:
    digits = [int(d) for d in body]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 0:
            d *= 2
            d = d - 9 if d > 9 else d
        total += d
    return body + str((10 - total % 10) % 10)


SECRETS = {
    "name": "张伟国",
    "mobile": "13812345678",
    "id": _id_number("11010119900307457"),
    "email": "zhang.weiguo@example.com",
    "card": _luhn("622202123456789012"),
    "plate": "湘A12345",
    "landline": "0731-88886666",
}
DIRTY = (
    f"我叫{SECRETS['name']}，手机{SECRETS['mobile']}，身份证{SECRETS['id']}，邮箱{SECRETS['email']}，"
    f"银行卡{SECRETS['card']}，车牌{SECRETS['plate']}，座机{SECRETS['landline']}，家住幸福小区5栋2单元301室。"
)
PUBLIC_PREFIXES = (
    "/api/v1/staff",
    "/api/v1/discipline",
    "/api/v1/auth",
    "/staff",
    "/static",
    "/docs",
    "/redoc",
)


def _get_routes(routes: Any, prefix: str = "") -> list[str]:
    """Every GET path of the app, through included routers."""
    found: list[str] = []
    for r in routes:
        if hasattr(r, "original_router"):
            found += _get_routes(
                r.original_router.routes, prefix + (getattr(r.include_context, "prefix", "") or "")
            )
        elif hasattr(r, "routes") and not hasattr(r, "methods"):
            found += _get_routes(r.routes, prefix + getattr(r, "path", ""))
        elif "GET" in (getattr(r, "methods", None) or set()):
            found.append(prefix + r.path)
    return sorted(set(found))


@pytest.fixture
def dirty_world(sqlite_engine: Engine) -> dict[str, Any]:
    """Cases full of personal data, in every public-facing state."""
    with session_factory(sqlite_engine)() as s:
        org = make_org(s)
        intake, handler = org.actor("intake"), org.actor("housing-handler")
        # the submitter's own name is masked even without a cue, because the contact (kept apart) names it
        open_case = submit(
            s,
            title=f"{SECRETS['name']}反映电梯 {SECRETS['mobile']}",
            body=DIRTY,
            contact={"name": SECRETS["name"], "phone": SECRETS["mobile"]},
        )
        replied = submit(s, title="电梯坏了", body=DIRTY, contact={"name": SECRETS["name"]})
        for c in (replied,):
            act.do_accept(s, c, intake)
            act.do_assign(s, c, intake, department_id=org.housing.id)
            act.do_sign_for(s, c, handler)
            act.do_return(s, c, handler, reason=f"请联系{SECRETS['name']}，电话{SECRETS['mobile']}")
            act.do_assign(s, c, intake, department_id=org.housing.id)
            act.do_sign_for(s, c, handler)
            act.do_reply(
                s,
                c,
                handler,
                text=f"已联系{SECRETS['name']}（{SECRETS['mobile']}），并核对身份证{SECRETS['id']}。",
            )
            act.do_evaluate(
                s, c, CITIZEN, evaluation=Evaluation.unsatisfied, comment=f"我的电话{SECRETS['mobile']}"
            )
            act.do_reply(s, c, handler, text=f"邮件已发至{SECRETS['email']}")
            act.do_evaluate(s, c, CITIZEN, evaluation=Evaluation.satisfied, comment=DIRTY)
        declined = submit(s, title="车牌问题", body=DIRTY, contact={"name": SECRETS["name"]})
        act.do_decline(
            s, declined, intake, reason=f"请本人{SECRETS['name']}持银行卡{SECRETS['card']}到窗口办理"
        )
        assert open_case.id
        cases = list(s.scalars(select(Case)))
        return {"ids": [c.id for c in cases], "codes": [c.tracking_code for c in cases]}


def _assert_clean(text: str, where: str) -> None:
    for kind, secret in SECRETS.items():
        assert secret not in text, f"{kind} {secret!r} leaked on {where}"
    assert not re.search(r"5栋2单元301室", text), f"house address leaked on {where}"


def test_every_public_get_endpoint_masks_personal_data(
    sqlite_engine: Engine, dirty_world: dict[str, Any]
) -> None:
    app = create_app(sqlite_engine)
    client = TestClient(app)
    paths = [p for p in _get_routes(app.routes) if not p.startswith(PUBLIC_PREFIXES)]
    assert "/api/v1/cases/{tracking_code}" in paths and "/cases/{case_id}" in paths
    visited = 0
    for path in paths:
        params = re.findall(r"{(\w+)}", path)
        values = {"tracking_code": dirty_world["codes"], "case_id": dirty_world["ids"],
                  "receipt": ["AAAA-BBBB-CCCC-DDDD-EEEE"]}  # fmt: skip
        unknown = [p for p in params if p not in values]
        assert not unknown, f"new public route {path}: teach this test its parameters {unknown}"
        combos = [{}] if not params else [{params[0]: v} for v in values[params[0]]]
        for combo in combos:
            url = path.format(**combo)
            for query in ("", "?lang=en", "?q=电梯"):
                r = client.get(url + query)
                assert r.status_code < 500, (url, r.status_code)
                _assert_clean(r.text, url + query)
                visited += 1
    assert visited > 20
    for code in dirty_world["codes"]:  # the tracking pages, opened with each code
        page = client.get("/track")
        r = client.post(
            "/track", data={"code": code, "csrf_token": csrf_of(page.text)}, follow_redirects=True
        )
        assert r.status_code == 200
        _assert_clean(r.text, f"/track/case for {code}")
    created = client.post(
        "/api/v1/cases", json={"kind": "complaint", "title": SECRETS["mobile"], "body": DIRTY}
    )
    assert created.status_code == 201
    _assert_clean(created.text, "POST /api/v1/cases")
