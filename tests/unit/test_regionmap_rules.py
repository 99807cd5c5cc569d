"""Boundaries: a file is checked before use, and a point finds its region. Pure."""

from __future__ import annotations

from typing import Any

import pytest

from minyi.errors import InvalidInput
from minyi.regionmap.rules import agrees, check_collection, contains, region_at, snap


def square(x0: float, y0: float, size: float) -> list[list[float]]:
    return [[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]


def feature(code: str, geometry: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": {"code": code}, "geometry": geometry}


def collection(*features: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


DISTRICT = {"type": "Polygon", "coordinates": [square(0, 0, 10), square(4, 4, 2)]}  # with a hole
STREET = {"type": "Polygon", "coordinates": [square(0, 0, 3)]}


def test_a_valid_file_gives_the_boundaries_by_code() -> None:
    shapes = check_collection(collection(feature("990102", DISTRICT), feature("990102001", STREET)),
                              {"990102", "990102001"})  # fmt: skip
    assert set(shapes) == {"990102", "990102001"} and shapes["990102"]["type"] == "Polygon"


@pytest.mark.parametrize(
    "data,message",
    [
        ({"type": "Feature"}, "FeatureCollection"),
        (collection(feature("110101", STREET)), "不存在"),
        (collection(feature("990102", STREET), feature("990102", STREET)), "重复"),
        (collection(feature("990102", {"type": "Point", "coordinates": [1, 2]})), "Polygon"),
        (collection(feature("990102", {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 2]]]})), "闭合"),
        (collection(feature("990102", {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]})), "4个点"),
        (collection(feature("990102", {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [2, 0], [0, 0]]]})), "面积"),
        (collection(feature("990102", {"type": "Polygon", "coordinates": [square(170, 80, 20)]})), "范围"),
        (collection(feature("990102", {"type": "Polygon", "coordinates": [[["a", 0], [1, 0], [1, 1], ["a", 0]]]})), "数字"),
    ],
)  # fmt: skip
def test_a_bad_file_is_refused_naming_the_fault(data: Any, message: str) -> None:
    with pytest.raises(InvalidInput) as err:
        check_collection(data, {"990102"})
    assert message in err.value.message_zh and err.value.field == "file"


def test_a_point_in_a_hole_is_outside() -> None:
    assert contains(DISTRICT, 1, 1) and not contains(DISTRICT, 5, 5) and not contains(DISTRICT, 11, 1)


def test_the_most_detailed_region_holding_the_point_wins() -> None:
    shapes = {"990102": DISTRICT, "990102001": STREET}
    assert region_at(shapes, 1, 1) == "990102001"
    assert region_at(shapes, 8, 8) == "990102"
    assert region_at(shapes, 20, 20) is None


def test_a_region_agrees_with_a_point_inside_it_or_its_parent() -> None:
    assert (
        agrees("990102001", "990102") and agrees("990102", "990102001") and not agrees("990103001", "990102")
    )
    assert not agrees(None, "990102")


def test_public_points_are_snapped_to_about_500_metres() -> None:
    assert snap(160.12345) == 160.125 and snap(20.0012) == 20.0
