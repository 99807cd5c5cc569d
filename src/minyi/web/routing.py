"""Route matching by literal prefix: a request walks only the top-level routes that can match its path.

FastAPI (0.165) walks every top-level route on every request, each included router walking all of its own routes
(a regex each, with its effective route context set and restored around every try): about 170 tries, ~1 ms of CPU
per request. A route's path regex starts with its literal prefix (the template before the first `{`; a mount's
`/path/`), so a route whose literal prefix does not begin the request's path cannot match it. `RouteIndex` keeps,
for each top-level route, the literal prefixes of everything it can answer (an included router: of all its routes,
however deeply included) and hands FastAPI's own walk (`APIRouter.app`) a view of the router whose `routes` hold only the
routes some prefix of the path names, in their original order. First match wins, a path matched with the wrong
method answers 405 and a trailing slash redirects exactly as before: the walk is FastAPI's, over a list that only
lacks routes that answer NONE. Routes that match by something other than the path (a `Host`, an unknown kind, an
included router with low-priority frontend routes) are kept for every path.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any, cast

from fastapi import FastAPI
from fastapi.routing import APIRouter
from starlette._utils import get_route_path
from starlette.types import Receive, Scope, Send

_VERSION = attrgetter("_routes_version")
MAX_VIEWS = 4096  # distinct candidate sets are bounded by the prefixes; the cap only guards against surprises


def literal_prefix(route: Any) -> str:
    """The part of a route's path template before its first parameter ("" when it does not match by path)."""
    fmt = getattr(route, "path_format", None)
    if not isinstance(fmt, str) or not fmt.startswith("/"):
        return ""
    return fmt.split("{", 1)[0]


def prefixes_of(route: Any) -> set[str]:
    """Every literal prefix a top-level route can answer under ("" matches every path)."""
    contexts = getattr(route, "effective_route_contexts", None)
    if contexts is None:  # a plain route or a mount
        return {literal_prefix(route)}
    if list(route.effective_low_priority_routes()):  # frontend fallbacks are matched after the walk: keep it
        return {""}
    found: set[str] = set()
    for context in contexts():
        starlette_route = context.starlette_route
        if starlette_route is not None:
            found.add(literal_prefix(starlette_route))
        elif isinstance(context.path_format, str) and context.path_format.startswith("/"):
            found.add(context.path_format.split("{", 1)[0])
        else:
            found.add("")
    return found


class _View:
    """The router as its walk sees it, with fewer routes: everything else (settings, the 404, the low-priority
    routes' walk) is read from the router itself."""

    __slots__ = ("_router", "routes")

    def __init__(self, router: APIRouter, routes: list[Any]) -> None:
        self._router = router
        self.routes = routes

    def __getattr__(self, name: str) -> Any:
        return getattr(self._router, name)


class RouteIndex:
    """The router's innermost ASGI app: FastAPI's walk over the routes a request's path can reach."""

    def __init__(self, router: APIRouter) -> None:
        self.router = router
        self._key: tuple[int, ...] | None = None
        self._watched: list[APIRouter] = []
        self._masks: dict[str, int] = {}
        self._lengths: list[int] = []
        self._always = 0
        self._views: dict[int, APIRouter] = {}

    def _routers(self) -> list[APIRouter]:
        """Every router whose routes the walk reaches (FastAPI bumps one's version when routes are added to it)."""
        found, todo = [self.router], [self.router]
        while todo:
            for route in todo.pop().routes:
                inner = getattr(route, "original_router", None)
                if isinstance(inner, APIRouter) and all(inner is not r for r in found):
                    found.append(inner)
                    todo.append(inner)
        return found

    def _state(self) -> tuple[int, ...]:
        routes = self.router.routes
        return (id(routes), len(routes), *map(_VERSION, self._watched))

    def _rebuild(self) -> None:
        self._watched = self._routers()
        masks: dict[str, int] = {}
        for i, route in enumerate(self.router.routes):
            for prefix in prefixes_of(route):
                masks[prefix] = masks.get(prefix, 0) | (1 << i)
        self._always = masks.pop("", 0)
        self._masks = masks
        self._lengths = sorted({len(p) for p in masks})
        self._views = {}

    def _mask(self, path: str) -> int:
        mask = self._always
        masks = self._masks
        for n in self._lengths:
            if n > len(path):
                break
            bits = masks.get(path[:n])
            if bits:
                mask |= bits
        return mask

    def _view(self, mask: int) -> APIRouter:
        view = self._views.get(mask)
        if view is None:
            routes = [r for i, r in enumerate(self.router.routes) if mask >> i & 1]
            view = cast(APIRouter, _View(self.router, routes))
            if len(self._views) >= MAX_VIEWS:
                self._views.clear()
            self._views[mask] = view
        return view

    def candidates(self, scope: Scope) -> list[Any]:
        """The routes FastAPI's walk is given for this request (tests compare them with the whole list)."""
        return self._view(self._request_mask(scope)).routes

    def _request_mask(self, scope: Scope) -> int:
        router = self.router
        if self._state() != self._key:
            self._rebuild()
            self._key = self._state()
        route_path = get_route_path(scope)
        mask = self._mask(route_path)
        if scope["type"] == "http" and router.redirect_slashes and route_path != "/":
            path = scope["path"]  # the walk for a redirect tries the path with its trailing slash toggled
            root_path = scope.get("root_path", "")
            if root_path:
                toggled = path.rstrip("/") if route_path.endswith("/") else path + "/"
                mask |= self._mask(get_route_path({"path": toggled, "root_path": root_path}))
            elif not route_path.endswith("/"):  # stripped, a path's prefixes are among its own
                mask |= self._masks.get(route_path + "/", 0)
        return mask

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.router.app(scope, receive, send)
            return
        scope.setdefault("router", self.router)  # url_for resolves against every route, not the view
        view = self._view(self._request_mask(scope))
        await APIRouter.app(view, scope, receive, send)


def install_route_index(app: FastAPI) -> RouteIndex:
    """Match the app's requests through a `RouteIndex` (the router's innermost app, where Router(middleware=...)
    would wrap it; FastAPI builds its router without middleware)."""
    router = app.router
    assert router.middleware_stack == router.app, "the app's router already has middleware"
    index = RouteIndex(router)
    router.middleware_stack = index
    return index
