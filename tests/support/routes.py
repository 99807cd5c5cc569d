"""Every route of the app, through included routers (FastAPI keeps an included router as one entry in app.routes)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def walk(routes: Any, prefix: str = "") -> Iterator[tuple[frozenset[str], str, Any]]:
    """Yield (methods, full path, route) for every endpoint, however deeply its router was included."""
    for r in routes:
        if hasattr(r, "original_router"):
            inner = getattr(r.include_context, "prefix", "") or ""
            yield from walk(r.original_router.routes, prefix + inner)
        elif hasattr(r, "routes") and not hasattr(r, "methods"):
            yield from walk(r.routes, prefix + getattr(r, "path", ""))
        elif getattr(r, "methods", None):
            yield frozenset(r.methods), prefix + r.path, r


def get_paths(routes: Any) -> list[str]:
    """Every GET path of the app."""
    return sorted({path for methods, path, _ in walk(routes) if "GET" in methods})
