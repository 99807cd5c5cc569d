"""The Open311 services: the public kinds of demand × the first-level topics of the taxonomy."""

from __future__ import annotations

from typing import Any

from minyi.opendata.rules import PUBLIC_KINDS, parse_service_code, service_code, service_name
from minyi.taxonomy import load_taxonomy

OTHER = "00"  # demands not yet given a topic


def groups() -> dict[str, str]:
    """First-level topic code → its name, plus 00 for demands without a topic."""
    tax = load_taxonomy()
    found = {t.code: t.level1 for t in tax.topics.values() if "." not in t.code}
    return {**found, OTHER: "其他"}


def services() -> list[dict[str, Any]]:
    """Every service a client may list, submit to and filter by (GET services)."""
    return [
        {
            "service_code": service_code(kind.value, code),
            "service_name": service_name(kind.value, name),
            "description": f"{service_name(kind.value, name)}（{kind.value}）",
            "metadata": code != OTHER,
            "type": "realtime",
            "keywords": f"{kind.value},{name}",
            "group": name,
        }  # fmt: skip
        for kind in PUBLIC_KINDS
        for code, name in groups().items()
    ]


def service_definition(code: str) -> dict[str, Any] | None:
    """The attributes of one service: the second-level topic within its group (GET services/{code})."""
    parsed = parse_service_code(code, groups())
    if parsed is None:
        return None
    _, group = parsed
    values = [
        {"key": t.code, "name": t.level2}
        for t in load_taxonomy().topics.values()
        if t.code.startswith(group + ".") and t.code.count(".") == 1
    ]
    attributes = (
        [
            {
                "variable": True,
                "code": "topic",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": "二级分类 / sub-topic",
                "order": 1,
                "description": "问题分类 / topic",
                "values": values,
            }
        ]  # fmt: skip
        if values
        else []
    )
    return {"service_code": code, "attributes": attributes}


def topic_of(kind_group: tuple[str, str], chosen: str | None) -> str | None:
    """The topic a submission gets: the chosen sub-topic where it lies in the service's group, else the group."""
    _, group = kind_group
    if group == OTHER:
        return None
    if chosen and chosen.startswith(group + ".") and load_taxonomy().get(chosen) is not None:
        return chosen
    return group
