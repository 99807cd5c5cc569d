"""Build FastAPI's state of each included route once per test process instead of once per app.

FastAPI 0.165 keeps an included router as one `_IncludedRouter` entry and builds the state of its routes (the
dependants, a pydantic adapter for every parameter, the request handler) on each app's first request. The suite
makes a new app for most tests (each on its own fresh database), so each test paid for it again: about 0.3 s of
CPU on its first request, more than the rest of a typical web test. That state depends on the route and on how
its router was included, not on the app, except for `dependency_overrides_provider` (the app, consulted for
`app.dependency_overrides`): an app with overrides gets its own state built as before, so a test that sets
overrides must set them before its first request. Nothing in the suite sets them.

If FastAPI changes these internals, `share_route_state` finds nothing to wrap and the suite runs as before.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from typing import Any

from fastapi.datastructures import DefaultPlaceholder


def _describe(value: Any, keep: list[Any]) -> Any:
    """A comparable description of an inclusion's settings: plain values as they are, FastAPI's default
    placeholders by their value, other objects by identity (kept alive in `keep`, so no other object can take
    their id while the description is in use)."""
    if isinstance(value, DefaultPlaceholder):
        return ("default", _describe(value.value, keep))
    if isinstance(value, list | tuple):
        return tuple(_describe(v, keep) for v in value)
    if isinstance(value, dict):
        return tuple((k, _describe(v, keep)) for k, v in value.items())
    if is_dataclass(value) and not isinstance(value, type):
        return tuple(
            (f.name, _describe(getattr(value, f.name), keep))
            for f in fields(value)
            if f.name != "dependency_overrides_provider"
        )
    if isinstance(value, str | int | float | bool | type(None)):
        return value
    keep.append(value)
    return ("id", id(value))


def share_route_state() -> bool:
    """Wrap FastAPI's builder of an included route's state with a cache; False when there is nothing to wrap."""
    try:
        from fastapi.routing import _EffectiveRouteContext  # type: ignore[attr-defined]
    except ImportError:
        return False
    build = _EffectiveRouteContext.__dict__.get("from_api_route")
    if not isinstance(build, classmethod) or getattr(build.__func__, "shared", False):
        return False
    original = build.__func__
    cache: dict[Any, tuple[list[Any], Any]] = {}

    def from_api_route(cls: Any, *, original_route: Any, include_context: Any) -> Any:
        if getattr(include_context.dependency_overrides_provider, "dependency_overrides", None):
            return original(cls, original_route=original_route, include_context=include_context)
        keep = [original_route]
        key = (id(original_route), _describe(include_context, keep))
        if key not in cache:
            cache[key] = (keep, original(cls, original_route=original_route, include_context=include_context))
        return cache[key][1]

    from_api_route.shared = True  # type: ignore[attr-defined]
    _EffectiveRouteContext.from_api_route = classmethod(from_api_route)
    return True
