"""Boundaries: checking a GeoJSON file before it is used, and finding the region a point lies in. Pure."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from minyi.errors import InvalidInput

MAX_FEATURES = 5000
MAX_POINTS = 200_000
POINT_GRID = 0.005  # public points are snapped to about 500 m, so a pin never marks a home


def _bad(zh: str, en: str) -> InvalidInput:
    return InvalidInput(zh, en, field="file")


def _ring(ring: Any, where: str) -> int:
    if not isinstance(ring, list) or len(ring) < 4:
        raise _bad(f"{where}：边界环至少要有4个点", f"{where}: a ring needs at least 4 positions")
    for pos in ring:
        if (not isinstance(pos, list) or len(pos) < 2
                or not all(isinstance(v, int | float) and math.isfinite(v) for v in pos[:2])):  # fmt: skip
            raise _bad(f"{where}：坐标必须是数字对", f"{where}: a position must be two numbers")
        if not (-180 <= pos[0] <= 180 and -90 <= pos[1] <= 90):
            raise _bad(f"{where}：坐标超出经纬度范围", f"{where}: a position is outside longitude/latitude")
    if ring[0][:2] != ring[-1][:2]:
        raise _bad(f"{where}：边界环没有闭合", f"{where}: a ring is not closed")
    if abs(_area(ring)) == 0:
        raise _bad(f"{where}：边界面积为零", f"{where}: a ring has no area")
    return len(ring)


def _area(ring: list[list[float]]) -> float:
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:], strict=False)) / 2


def polygons(geometry: Mapping[str, Any]) -> list[list[Any]]:
    """The polygons of a Polygon or MultiPolygon (each a list of rings, the first the outline)."""
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"]]
    return list(geometry["coordinates"])


def check_geometry(geometry: Any, where: str) -> int:
    """Refuse anything but a well-formed Polygon or MultiPolygon; returns its number of positions."""
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise _bad(f"{where}：只接受 Polygon 或 MultiPolygon", f"{where}: only Polygon or MultiPolygon")
    coords = geometry.get("coordinates")
    if not isinstance(coords, list) or not coords:
        raise _bad(f"{where}：缺少坐标", f"{where}: no coordinates")
    if geometry["type"] == "MultiPolygon" and not all(isinstance(p, list) and p for p in coords):
        raise _bad(f"{where}：缺少坐标", f"{where}: no coordinates")
    return sum(_ring(ring, where) for poly in polygons(geometry) for ring in poly)


def check_collection(data: Any, known_codes: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The boundaries of a FeatureCollection by region code, or a clear error naming the feature at fault.

    Every feature needs properties.code (a GB/T 2260 region code already known here), once, and valid geometry.
    """
    known = set(known_codes)
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise _bad("文件须是 GeoJSON FeatureCollection", "the file must be a GeoJSON FeatureCollection")  # fmt: skip
    if not data["features"] or len(data["features"]) > MAX_FEATURES:
        raise _bad(f"要素数须在1到{MAX_FEATURES}之间", f"between 1 and {MAX_FEATURES} features")
    out: dict[str, dict[str, Any]] = {}
    total = 0
    for i, feature in enumerate(data["features"], start=1):
        where = f"第{i}个要素"
        props = feature.get("properties") if isinstance(feature, dict) else None
        code = str((props or {}).get("code") or "")
        if code not in known:
            raise _bad(
                f"{where}：行政区划代码“{code[:20]}”不存在", f"feature {i}: unknown region code {code[:20]!r}"
            )
        if code in out:
            raise _bad(f"{where}：行政区划代码“{code}”重复", f"feature {i}: region code {code} appears twice")
        total += check_geometry(feature.get("geometry"), where)
        if total > MAX_POINTS:
            raise _bad(f"坐标点超过{MAX_POINTS}个", f"more than {MAX_POINTS} positions")
        out[code] = {"type": feature["geometry"]["type"], "coordinates": feature["geometry"]["coordinates"]}
    return out


def _in_ring(lon: float, lat: float, ring: list[list[float]]) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip((p[:2] for p in ring), (p[:2] for p in ring[1:]), strict=False):
        if (y1 > lat) != (y2 > lat) and lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def contains(geometry: Mapping[str, Any], lon: float, lat: float) -> bool:
    """Whether the point lies inside the outline of one of the polygons and outside its holes."""
    return any(
        _in_ring(lon, lat, poly[0]) and not any(_in_ring(lon, lat, hole) for hole in poly[1:])
        for poly in polygons(geometry)
    )


def region_at(shapes: Mapping[str, Mapping[str, Any]], lon: float, lat: float) -> str | None:
    """The most detailed region (longest code) whose boundary holds the point."""
    found = [code for code, geometry in shapes.items() if contains(geometry, lon, lat)]
    return max(found, key=len) if found else None


def agrees(point_region: str | None, region_code: str) -> bool:
    """A given region agrees with a point when one is the other or contains it (codes nest by prefix)."""
    return point_region is not None and (
        point_region.startswith(region_code) or region_code.startswith(point_region)
    )


def snap(value: float) -> float:
    """A coordinate coarsened to the public grid."""
    return round(round(value / POINT_GRID) * POINT_GRID, 4)
