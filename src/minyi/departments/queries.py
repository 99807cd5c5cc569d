"""Reads of the organisation: the routing table and region names (cached per database; writes drop them after
their commit)."""

from __future__ import annotations

import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.db import bind_key, new_cache, per_database
from minyi.departments.models import Department, Region, RoutingRule
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


def region_names_in(session: Session, codes: set[str]) -> dict[str, tuple[str, str | None]]:
    """The (name, English name) of these regions (unknown codes left out): from the cache, with one read for
    the codes it lacks (a page's regions on a cold cache cost one query, not one each)."""
    db, now, out = bind_key(session), time.monotonic(), {}
    for code in codes:
        hit = _regions.get(f"{db}|{code}")
        if hit is not None and now - hit[0] < REGION_TTL:
            out[code] = hit[1]
    if missing := codes - out.keys():
        rows = session.execute(
            select(Region.code, Region.name, Region.name_en).where(Region.code.in_(missing))
        )
        if len(_regions) >= REGION_CACHE_MAX:
            _regions.clear()
        for code, name, en in rows:
            out[code] = (name, en)
            _regions[f"{db}|{code}"] = (now, out[code])
    return out


def check_region(session: Session, code: str | None) -> None:
    """A region the city knows, or a 422 on the field (never the database's foreign-key refusal at commit)."""
    if code and region_names_of(session, code) is None:
        raise InvalidInput("行政区划代码不存在", "unknown region code", field="region_code")


_levels = new_cache()  # "database|max_level": (when, regions down to that level)


def regions_to_level(session: Session, max_level: int) -> list[tuple[str, str, str | None, int]]:
    """(code, name, English name, level) of the regions down to `max_level`, in code order: the forms' and the
    public list's choices (cached like the names: every list page offers them)."""
    key = f"{bind_key(session)}|{max_level}"
    hit = _levels.get(key)
    if hit is not None and time.monotonic() - hit[0] < REGION_TTL:
        return list(hit[1])
    rows = session.execute(
        select(Region.code, Region.name, Region.name_en, Region.level)
        .where(Region.level <= max_level)
        .order_by(Region.code)
    )
    regions = [(code, name, en, level) for code, name, en, level in rows]
    _levels[key] = (time.monotonic(), regions)
    return list(regions)


def forget_regions() -> None:
    """Drop the cached region names and lists (after a region is added or renamed)."""
    _regions.clear()
    _levels.clear()


@per_database(30.0)
def department_names(session: Session) -> dict[int, tuple[str, str | None]]:
    """Every department's (name, English name) by id (cached for half a minute per database: each public page
    names the departments that answer its cases; a rename drops it after its commit)."""
    rows = session.execute(select(Department.id, Department.name, Department.name_en))
    return {i: (name, en) for i, name, en in rows}


def department_names_of(session: Session, ids: set[int]) -> dict[int, tuple[str, str | None]]:
    """The (name, English name) of these departments: from the cache, and one read for any added since."""
    cached = department_names(session)
    names = {i: cached[i] for i in ids & cached.keys()}
    if missing := ids - names.keys():
        rows = session.execute(
            select(Department.id, Department.name, Department.name_en).where(Department.id.in_(missing))
        )
        names.update({i: (name, en) for i, name, en in rows})
    return names


def forget_departments() -> None:
    """Drop the cached department names (after a department is added or renamed)."""
    department_names.forget()  # type: ignore[attr-defined]
