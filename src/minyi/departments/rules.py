"""Routing: which department answers a topic in a region. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Route:
    """A routing rule as plain data."""

    topic_prefix: str
    region_prefix: str
    department_id: int
    priority: int = 0


@dataclass(frozen=True)
class RouteChoice:
    """The suggested department and why."""

    department_id: int
    reason: str


def route(rules: Iterable[Route], topic_code: str | None, region_code: str | None) -> RouteChoice | None:
    """The rule whose prefixes match and are longest (topic first, then region, then priority) wins."""
    topic, region = topic_code or "", region_code or ""
    best: tuple[tuple[int, int, int], Route] | None = None
    for r in rules:
        if topic.startswith(r.topic_prefix) and region.startswith(r.region_prefix):
            rank = (len(r.topic_prefix), len(r.region_prefix), r.priority)
            if best is None or rank > best[0]:
                best = (rank, r)
    if best is None:
        return None
    r = best[1]
    parts = []
    if r.topic_prefix:
        parts.append(f"topic {r.topic_prefix}")
    if r.region_prefix:
        parts.append(f"region {r.region_prefix}")
    return RouteChoice(r.department_id, "routing rule: " + (" + ".join(parts) or "default"))
