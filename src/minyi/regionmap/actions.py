"""Loading a city's boundaries (administrators): validated in full before anything is written."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.accounts.roles import Role
from minyi.db import table_of, utcnow
from minyi.departments.models import Region
from minyi.errors import InvalidInput, NotPermitted
from minyi.regionmap.models import RegionShape
from minyi.regionmap.rules import check_collection
from minyi.uow import end_read, write


def read_collection(raw: str | bytes, session: Session) -> dict[str, dict[str, Any]]:
    """Parse and check a GeoJSON text against the regions known here (no write)."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("文件不是有效的 JSON", "the file is not valid JSON", field="file") from exc
    known = list(session.scalars(select(Region.code)))
    shapes = check_collection(data, known)
    end_read(session)
    return shapes


def store_shapes(session: Session, shapes: dict[str, dict[str, Any]]) -> None:
    """Replace the boundaries of these regions (inside the caller's write)."""
    session.execute(delete(RegionShape).where(RegionShape.code.in_(list(shapes))))
    now = utcnow()
    session.execute(insert(table_of(RegionShape)),
                    [{"code": c, "geometry": g, "loaded_at": now} for c, g in shapes.items()])  # fmt: skip


def do_load_region_shapes(session: Session, actor: Actor, raw: str | bytes) -> int:
    """Load boundaries (GeoJSON keyed by GB/T 2260 region codes); all or nothing; returns how many."""
    if actor.role != Role.admin:
        raise NotPermitted("仅管理员可操作", "administrators only")
    shapes = read_collection(raw, session)
    with write(session, actor) as tx:
        store_shapes(session, shapes)
        tx.record("regions.load", "region_shapes", None, {"codes": sorted(shapes)})
    return len(shapes)


def preview_shapes(
    session: Session, raw: str | bytes
) -> tuple[list[tuple[str, str, int, bool]], dict[str, Any]]:
    """What loading `raw` would do, checked in full and written nowhere: each region (code, name, positions, whether
    it replaces a loaded boundary) and the boundaries as GeoJSON to draw."""
    from minyi.regionmap.rules import check_geometry

    shapes = read_collection(raw, session)
    names = dict(session.execute(select(Region.code, Region.name).where(Region.code.in_(list(shapes)))).all())
    loaded = set(session.scalars(select(RegionShape.code).where(RegionShape.code.in_(list(shapes)))))
    end_read(session)
    rows = [(c, names.get(c, c), check_geometry(g, c), c in loaded) for c, g in sorted(shapes.items())]
    features = [{"type": "Feature", "id": c, "geometry": shapes[c], "properties": {"code": c, "name": n, "count": 0}}
                for c, n, _p, _r in rows]  # fmt: skip
    return rows, {"type": "FeatureCollection", "features": features}


def loaded_regions(session: Session) -> list[tuple[str, str, Any]]:
    """The boundaries loaded now: (code, name, when)."""
    rows = session.execute(
        select(RegionShape.code, Region.name, RegionShape.loaded_at)
        .join(Region, Region.code == RegionShape.code).order_by(RegionShape.code)
    ).all()  # fmt: skip
    end_read(session)
    return [(r.code, r.name, r.loaded_at) for r in rows]
