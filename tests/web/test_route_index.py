"""The route index changes how many routes a request tries, never which one answers: for every registered route,
paths with valid and invalid parameters, a toggled trailing slash, wrong methods, HEAD/OPTIONS and unknown paths
are decided over FastAPI's whole linear walk (the oracle) and over the index's candidates, and must agree."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from starlette._utils import get_route_path
from starlette.routing import Match

from minyi.app import create_app
from minyi.web.routing import RouteIndex, install_route_index
from tests.support.routes import walk

PARAM = re.compile(r"\{([^}:]+)(?::([^}]+))?\}")
FILLS = {"int": ["7", "x", "-1"], "path": ["a/b", "a"], "str": ["7", "abc", "x.y"], "float": ["1.5", "x"]}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    from minyi.db import make_engine

    engine: Engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('routes') / 'r.db'}")
    return create_app(engine)


def fill(template: str) -> Iterator[str]:
    """The template with each parameter given every sample value of its convertor (one value for all at a time)."""
    for k in range(3):

        def value(m: re.Match[str], k: int = k) -> str:
            values = FILLS.get(m.group(2) or "str", ["7"])
            return values[k % len(values)]

        yield PARAM.sub(value, template)


def sample_requests(app: FastAPI) -> Iterator[tuple[str, str, str]]:
    for methods, template, _ in walk(app.routes):
        wrong = "PATCH" if "PATCH" not in methods else "PUT"
        for path in set(fill(template)) | {template.split("{", 1)[0]}:
            for method in {*methods, wrong, "HEAD", "OPTIONS"}:
                yield method, path, ""
            for variant in {path.rstrip("/") or "/", path + "/", path + "/zz"}:
                yield min(methods), variant, ""
    for path in [
        "/",
        "/zz",
        "/api/v1/zz",
        "/api/v1/",
        "/static/",
        "/static/app.css",
        "/staff/zz/zz",
        "//",
        "",
        # path confusion: doubled and dotted segments, decoded %2F, unicode, a prefix without its slash
        "//api/v1/health",
        "/api/v1//cases",
        "/api//v1/cases",
        "/./api/v1/health",
        "/api/v1/./health",
        "/api/v1/../v1/health",
        "/api/v1/cases//",
        "/api/v1/cases/1//",
        "/api/v1/cases/%2F1",
        "/api/v1/cases//1",
        "/track/contact//confirm",
        "/track/contact/confirm/",
        "/track/contactx",
        "/staff",
        "/staff/",
        "/staffx/cases",
        "/api/v1/cases/案",
        "/案",
        "/API/v1/health",
        "/static",
        "/static//app.css",
        "/api/v1/health\x00",
    ]:
        for method in ("GET", "POST", "HEAD"):
            yield method, path, ""
    for method in ("GET", "POST"):  # mounted under a root path
        yield method, "/sub/api/v1/health", "/sub"
        yield method, "/sub/api/v1/cases/", "/sub"
        yield method, "/sub", "/sub"
        yield method, "/sub/", "/sub"
        yield method, "/sub//", "/sub"
        yield method, "/subapi/v1/health", "/sub"
        yield method, "/api/v1/health", "/sub"
        yield method, "/sub/api/v1/health/", "/sub/"
        yield method, "/sub//api/v1/health", "/sub"


def scope_of(method: str, path: str, root_path: str) -> dict[str, Any]:
    return {
        "type": "http",
        "method": method,
        "path": path,
        "root_path": root_path,
        "headers": [],
        "query_string": b"",
    }


def leaf(route: Any, scope: dict[str, Any]) -> tuple[Any, ...]:
    """The route that answers inside a top-level route, followed through included routers."""
    while hasattr(route, "_match"):
        _, child, route, context = route._match(scope)
        if context is not None:
            return (getattr(context, "endpoint", None) or context.original_route, context.path_format, child)
    return (getattr(route, "endpoint", None) or route, getattr(route, "path_format", None))


def decide(routes: list[Any], method: str, path: str, root_path: str) -> tuple[Any, ...]:
    """FastAPI's selection (APIRouter.app): the first full match, else the first partial (405), else a redirect
    when the slash-toggled path matches anything, else 404."""
    partial = None
    for route in routes:
        scope = scope_of(method, path, root_path)
        match, child = route.matches(scope)
        if match == Match.FULL:
            return ("full", route, leaf(route, scope), child)
        if match == Match.PARTIAL and partial is None:
            partial = ("partial", route, leaf(route, scope), child)
    if partial is not None:
        return partial
    route_path = get_route_path(scope_of(method, path, root_path))
    if route_path != "/":
        toggled = path.rstrip("/") if route_path.endswith("/") else path + "/"
        for route in routes:
            if route.matches(scope_of(method, toggled, root_path))[0] != Match.NONE:
                return ("redirect", toggled)
    return ("404",)


def test_the_index_picks_the_route_the_linear_walk_picks(app: FastAPI) -> None:
    index = app.router.middleware_stack
    assert isinstance(index, RouteIndex)
    whole = list(app.router.routes)
    requests = set(sample_requests(app))
    assert len(requests) > 1500
    kinds: set[str] = set()
    for method, path, root in sorted(requests):
        candidates = index.candidates(scope_of(method, path, root))
        assert len(candidates) <= len(whole)
        expected = decide(whole, method, path, root)
        assert decide(candidates, method, path, root) == expected, (method, path, root)
        kinds.add(expected[0])
    assert kinds == {"full", "partial", "redirect", "404"}  # every branch of the walk was exercised


def test_most_routes_are_never_tried(app: FastAPI) -> None:
    index = app.router.middleware_stack
    assert isinstance(index, RouteIndex)
    for path in ("/api/v1/health", "/api/v1/cases", "/staff/cases/1", "/cases/1"):
        assert len(index.candidates(scope_of("GET", path, ""))) <= 6 < len(app.router.routes) // 4


def test_a_route_added_after_start_is_found(app: FastAPI) -> None:
    late = FastAPI()
    install_route_index(late)

    @late.get("/early")
    async def early() -> dict[str, str]:
        return {"at": "early"}

    with TestClient(late) as client:
        assert client.get("/early").json() == {"at": "early"}
        assert client.get("/late").status_code == 404

        @late.get("/late/{n:int}")
        async def late_route(n: int) -> dict[str, int]:
            return {"n": n}

        assert client.get("/late/3").json() == {"n": 3}
        assert client.post("/late/3").status_code == 405
        assert client.get("/late/3/", follow_redirects=False).status_code == 307
        assert client.get("/late/x").status_code == 404
        late.router.redirect_slashes = False  # the router's settings are read at each request, not copied
        assert client.get("/late/3/", follow_redirects=False).status_code == 404


def test_answers_over_http_match_the_unindexed_app(
    app: FastAPI, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from minyi.db import make_engine

    plain = create_app(make_engine(f"sqlite:///{tmp_path_factory.mktemp('plain') / 'p.db'}"))
    plain.router.middleware_stack = plain.router.app  # the oracle: FastAPI's own walk
    probes = [("GET", "/api/v1/health"), ("GET", "/api/v1/health/"), ("DELETE", "/api/v1/health"),
              ("GET", "/zz"), ("PUT", "/api/v1/cases"), ("GET", "/static/nope.css"), ("OPTIONS", "/api/v1/cases"),
              ("GET", "/openapi.json"), ("GET", "//api/v1/health"), ("GET", "/api/v1/zz%2Fhealth"),
              ("GET", "/track/contact/confirm/"), ("HEAD", "/track/contact/confirm"), ("GET", "/staff/"),
              ("GET", "/%E6%A1%88")]  # fmt: skip
    with TestClient(app) as new, TestClient(plain) as old:
        for method, path in probes:
            a = new.request(method, path, follow_redirects=False)
            b = old.request(method, path, follow_redirects=False)
            assert (a.status_code, a.headers.get("location"), a.headers.get("allow")) == (
                b.status_code,
                b.headers.get("location"),
                b.headers.get("allow"),
            ), (method, path)
