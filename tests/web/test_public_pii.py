"""No public API, page or search result ever shows personal data: crawl every public GET route over cases full of it."""

from __future__ import annotations

import html
import re
from itertools import product
from pathlib import Path
from urllib.parse import quote_plus

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from minyi.app import create_app
from minyi.db import session_factory, utcnow
from minyi.nlp.pii import redact
from minyi.ratelimit import public as public_limits
from minyi.ratelimit.counters import Limit
from tests.support.routes import get_paths as get_routes
from tests.web.pages_support import csrf_of
from tests.web.public_world import Planted, World, build

PRIVATE_PREFIXES = (
    "/api/v1/staff",
    "/api/v1/discipline",
    "/api/v1/auth",
    "/staff",
    "/static",
    "/docs",
    "/redoc",
)
FILTERS = [
    "", "?lang=en", "?q=电梯", "?q=电梯&lang=en", "?kind=complaint", "?status=closed", "?status=replied",
    "?status=rehandling", "?status=returned", "?status=assigned", "?status=accepted", "?topic=01",
    "?region=99", "?date_from=2000-01-01&date_to=2100-01-01", "?page=2", "?limit=100", "?before_id=1000",
]  # fmt: skip


@pytest.fixture
def world(engine: Engine) -> World:
    with session_factory(engine)() as s:
        return build(s)


def watched(world: World) -> list[Planted]:
    """Every planted value; the detector must find each one in the sentence it was written in."""
    missed = [p for p in world.planted if not p.given and p.value in redact(p.sentence)]
    assert not missed, f"the detector misses these even in their own sentence: {missed}"
    return world.planted


def consultation_with(engine: Engine, planted: list[Planted]) -> int:
    """An open consultation whose comments and statements carry the planted sentences."""
    from datetime import timedelta

    from minyi.accounts.actor import Actor
    from minyi.accounts.roles import Role
    from minyi.consultation import participation as part
    from minyi.consultation.actions import do_create_consultation, do_open
    from minyi.consultation.schemas import ConsultationIn
    from minyi.db import utcnow

    admin = Actor(Role.admin, "test")
    with session_factory(engine)() as s:
        body = ConsultationIn(title="征求意见", committee="居委会", opens_at=utcnow() - timedelta(hours=1),
                              closes_at=utcnow() + timedelta(days=30), draft="第一条 内容。")  # fmt: skip
        c = do_create_consultation(s, admin, body)
        do_open(s, c, admin)
        for p in planted:
            if p.sentence:
                who = part.do_join(s, c)
                part.do_comment(s, c, who, clause_id=None, body=p.sentence)
        return c.id


def round_with(engine: Engine, planted: list[Planted]) -> int:
    """An inspection round whose published rectification report (and public accountability records) were made
    from the planted sentences."""
    from tests.support.inspections import public_records_with, published_round_with

    sentences = [p.sentence for p in planted if p.sentence]
    with session_factory(engine)() as s:
        public_records_with(s, sentences)  # and the accountability decisions made public
        return published_round_with(s, sentences)


def leaks(text: str, planted: list[Planted]) -> list[str]:
    return [f"{p.kind} {p.value!r}" for p in planted if p.value in text]


def test_every_public_get_route_shows_no_planted_value(
    engine: Engine, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    lookups = public_limits.LIMITS["track"]
    monkeypatch.setitem(public_limits.LIMITS, "track", (Limit("public:track", 10_000, 600), *lookups[1:]))
    app = create_app(engine)
    client = TestClient(app)
    planted = watched(world)
    paths = [p for p in get_routes(app.routes) if not p.startswith(PRIVATE_PREFIXES)]
    assert {"/api/v1/cases/{tracking_code}", "/api/v1/public/cases", "/cases", "/cases/{case_id}"} <= set(
        paths
    )
    values = {"tracking_code": world.codes, "case_id": world.ids,
              "consultation_id": [consultation_with(engine, planted)], "request_id": [str(i) for i in world.ids],
              "token": world.codes, "fmt": ["json", "xml"], "code": ["complaint.01", "housing"], "name": ["cases.csv"],
              "kind": ["cases", "replies"], "receipt": ["AAAA-BBBB-CCCC-DDDD-EEEE"],
              "attachment_id": ["1"], "period_id": ["1"], "organisation_id": ["1"], "year": [str(utcnow().year)],
              "round_id": [round_with(engine, planted)]}  # fmt: skip
    found: list[str] = []
    visited = 0
    for path in paths:
        params = re.findall(r"{(\w+)}", path)
        unknown = [p for p in params if p not in values]
        assert not unknown, f"new public route {path}: teach this test its parameters {unknown}"
        combos = [dict(zip(params, vs, strict=True)) for vs in product(*(values[p] for p in params))]
        for combo in combos:
            for query in FILTERS if not params else ("", "?lang=en"):
                url = path.format(**combo) + query
                r = client.get(url)
                assert r.status_code < 500, (url, r.status_code)
                found += [f"{leak} on {url}" for leak in leaks(r.text, planted)]
                visited += 1
    assert visited > 100
    for code in world.codes:  # the tracking pages, opened with each code
        page = client.get("/track")
        r = client.post(
            "/track", data={"code": code, "csrf_token": csrf_of(page.text)}, follow_redirects=True
        )
        assert r.status_code == 200
        found += [f"{leak} on /track/case of {code}" for leak in leaks(r.text, planted)]
    assert not found, "\n".join(found)


def test_the_public_list_shows_cases_in_every_public_state(engine: Engine, world: World) -> None:
    client = TestClient(create_app(engine))
    shown = client.get("/api/v1/public/cases?limit=100").json()
    assert {c["status"] for c in shown} == {"accepted", "assigned", "returned", "in_progress", "replied",
                                            "rehandling", "closed"}  # fmt: skip
    assert any(c["reply"] and "【姓名】您好" in c["reply"] for c in shown)  # the greeting, masked


def _results(page: str, q: str) -> str:
    """The page less the query it echoes (in the search box and the pager's links)."""
    for echo in (html.escape(q), quote_plus(q)):
        page = page.replace(echo, "")
    return page


def test_public_search_is_no_oracle_for_a_planted_value(engine: Engine, world: World) -> None:
    client = TestClient(create_app(engine))
    assert 'href="/cases/' in client.get("/cases?q=电梯").text  # the search does find ordinary words
    planted = watched(world)
    found = []
    for p in planted:
        r = client.get("/cases", params={"q": p.value})
        assert r.status_code == 200
        page = _results(r.text, p.value)
        if 'href="/cases/' in page:
            found.append(f"q={p.value!r} ({p.kind}) finds a case")
        found += [f"{leak} on /cases?q={p.value}" for leak in leaks(page, planted)]
    assert not found, "\n".join(found)


def test_submitting_answers_with_masked_text(engine: Engine, world: World) -> None:
    client = TestClient(create_app(engine))
    body = "我叫张伟国，手机13812345678，邮箱zhang.weiguo@example.com，家住幸福小区5栋2单元301室。"
    created = client.post(
        "/api/v1/cases",
        json={"kind": "complaint", "title": "张伟国反映", "body": body,
              "contact": {"name": "张伟国", "phone": "138 1234 5678"}},
    )  # fmt: skip
    assert created.status_code == 201, created.text
    for value in ("张伟国", "13812345678", "zhang.weiguo@example.com", "5栋2单元301室"):
        assert value not in created.text


def test_text_the_worker_has_yet_to_mask_shows_nowhere(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """With understanding in the worker, intake masks nothing: until the job has run, every public projection
    (API, pages, Open311, feeds, open data) masks the text as it reads it, and the word search does not know it."""
    from minyi.db import reset_caches
    from minyi.opendata.export import export_package

    monkeypatch.setenv("MINYI_UNDERSTANDING", "worker")
    reset_caches()
    with session_factory(engine)() as s:
        world = build(s)
        assert s.scalar(text("SELECT count(*) FROM cases WHERE public_title IS NOT NULL")) == 0
        export_package(s, tmp_path)
    planted = watched(world)
    client = TestClient(create_app(engine))
    urls = ["/api/v1/public/cases?limit=100", "/cases", "/open311/v2/requests.json", "/open311/v2/requests.xml",
            "/feeds/cases.atom", "/feeds/replies.atom", "/cases?q=电梯"]  # fmt: skip
    urls += [u for i, code in zip(world.ids, world.codes, strict=True)
             for u in (f"/api/v1/cases/{code}", f"/cases/{i}", f"/open311/v2/requests/{i}.json")]  # fmt: skip
    found = []
    for url in urls:
        r = client.get(url)
        assert r.status_code in (200, 404), (url, r.status_code)
        found += [f"{leak} on {url}" for leak in leaks(r.text, planted)]
    for f in tmp_path.glob("*.csv"):
        found += [f"{leak} in {f.name}" for leak in leaks(f.read_text(encoding="utf-8"), planted)]
    assert not found, "\n".join(found)
    assert 'href="/cases/' not in _results(client.get("/cases?q=电梯").text, "电梯")  # nothing indexed yet
    assert any(r["title"] for r in client.get("/api/v1/public/cases").json())  # masked text, not a blank page
