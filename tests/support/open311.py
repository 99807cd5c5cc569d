"""Open311 test kit: the GeoReport v2 JSON Schemas (from /work/shared/spec, copied as fixtures), XML to plain data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, fromstring

from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SPEC = Path(__file__).resolve().parent.parent / "fixtures" / "open311"
_FILES = ("services.json", "service.json", "service-definition.json", "requests.json", "request.json")


def _registry() -> Registry:  # type: ignore[type-arg]
    resources = [
        (name, Resource.from_contents(json.loads((SPEC / name).read_text()), default_specification=DRAFT4))
        for name in _FILES
    ]
    return Registry().with_resources(resources)


def validate(name: str, data: Any) -> None:
    """Raise where `data` breaks the GeoReport v2 schema `name` (services.json, requests.json, …)."""
    schema = json.loads((SPEC / name).read_text())
    Draft4Validator(schema, registry=_registry(), format_checker=FormatChecker()).validate(data)


def _plain(node: Element) -> Any:
    children = list(node)
    if not children:
        return node.text
    if node.tag in ("attributes", "values"):
        return [_plain(c) for c in children]
    return {c.tag: _plain(c) for c in children}


def xml_rows(body: bytes) -> list[Any]:
    """A GeoReport XML list answer (services, service_requests) as a list of dictionaries of strings."""
    return [_plain(c) for c in fromstring(body)]


def xml_object(body: bytes) -> Any:
    """A GeoReport XML single answer (a service definition) as a dictionary of strings."""
    return _plain(fromstring(body))


def as_strings(value: Any) -> Any:
    """JSON data as the XML carries it: every scalar a string, booleans lower case, null absent."""
    if isinstance(value, dict):
        return {k: as_strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_strings(v) for v in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    return None if value is None else str(value)


def drop_nulls(value: Any) -> Any:
    """XML leaves empty elements for nulls: compare without them."""
    if isinstance(value, dict):
        return {k: drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [drop_nulls(v) for v in value]
    return value
