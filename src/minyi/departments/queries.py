"""Reads of the organisation: the routing table and region names (cached per database; writes drop them after
their commit)."""

from __future__ import annotations

import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.db import bind_key, new_cache, per_database
from minyi.departments.models import Region, RoutingRule
from minyi.departments.rules import Route
from minyi.errors import InvalidInput


@per_database(30.0)
def routes(session: Session) -> list[Route]:
    """The routing table as plain rules (cached for half a minute per database: it changes rarely)."""
    rows = session.execute(
        select(
            RoutingRule.topic_prefix,
            RoutingRule.region_prefix,
            RoutingRule.department_id,
            RoutingRule.priority,
        )
    ).all()
    return [Route(*r) for r in rows]


def forget_routes() -> None:
    """Drop the cached routing table (after an administrator changes it)."""
    routes.forget()  # type: ignore[attr-defined]


REGION_TTL = 30.0
REGION_CACHE_MAX = 50_000
_regions = new_cache()  # "database|code": (when, (name, name_en))


def region_names_of(session: Session, code: str) -> tuple[str, str | None] | None:
    """A region's (name, English name), or None when no such region; found regions are cached for half a
    minute per database (intake checks the region of every submission), unknown codes always ask the database."""
    key = f"{bind_key(session)}|{code}"
    hit = _regions.get(key)
    if hit is not None and time.monotonic() - hit[0] < REGION_TTL:
        return hit[1]
    row = session.execute(select(Region.name, Region.name_en).where(Region.code == code)).first()
    if row is None:
        return None
    if len(_regions) >= REGION_CACHE_MAX:
        _regions.clear()
    names = (row.name, row.name_en)
    _regions[key] = (time.monotonic(), names)
    return names


def check_region(session: Session, code: str | None) -> None:
    """A region the city knows, or a 422 on the field (never the database's foreign-key refusal at commit)."""
    if code and region_names_of(session, code) is None:
        raise InvalidInput("行政区划代码不存在", "unknown region code", field="region_code")


def forget_regions() -> None:
    """Drop the cached region names (after a region is added or renamed)."""
    _regions.clear()
