"""Pure rules of Open311 GeoReport v2: service codes, open/closed, the XML form, API keys and the rate limit."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from minyi.cases.rules import KIND_ZH, Kind, Status

# the kinds a client application may submit and list: misconduct reports (举报) are confidential, never public
PUBLIC_KINDS = tuple(k for k in Kind if k is not Kind.report)
CLOSED = frozenset({Status.closed, Status.declined, Status.withdrawn, Status.merged})
KEY_PREFIX = "o311_"


def service_code(kind: str, group: str) -> str:
    """One service per public kind and first-level topic, such as complaint.01 (投诉 · 城乡建设)."""
    return f"{kind}.{group}"


def parse_service_code(code: str, groups: Iterable[str]) -> tuple[str, str] | None:
    """(kind, topic group) of a service code, or None where no such service is offered."""
    kind, _, group = code.partition(".")
    if kind not in {k.value for k in PUBLIC_KINDS} or group not in set(groups):
        return None
    return kind, group


def service_name(kind: str, group_name: str) -> str:
    return f"{KIND_ZH[kind]} · {group_name}"


def open311_status(status: str) -> str:
    """Open311 knows two states: a demand is closed once it is 办结, declined, withdrawn or merged."""
    return "closed" if status in CLOSED else "open"


def new_api_key() -> str:
    """A fresh API key for a client application (shown once, stored only as its hash)."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _put(parent: Element, key: str, value: Any) -> None:
    child = SubElement(parent, key)
    if isinstance(value, Mapping):
        for k, v in value.items():
            _put(child, k, v)
    elif isinstance(value, list):
        for item in value:
            _put(child, key[:-1] if key.endswith("s") else "value", item)
    elif isinstance(value, bool):
        child.text = "true" if value else "false"
    elif value is not None:
        child.text = str(value)


def to_xml(root: str, item: str, rows: Sequence[Mapping[str, Any]]) -> bytes:
    """The XML form of a GeoReport list answer: <services><service>…</service></services> and so on."""
    top = Element(root)
    for row in rows:
        _put(top, item, row)
    return _document(top)


def one_xml(root: str, row: Mapping[str, Any]) -> bytes:
    """The XML form of a single object (a service definition)."""
    top = Element(root)
    for k, v in row.items():
        _put(top, k, v)
    return _document(top)


def _document(top: Element) -> bytes:
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + tostring(
        top, encoding="utf-8", xml_declaration=False
    )


def errors_body(code: int, zh: str, en: str) -> list[dict[str, Any]]:
    """The spec's error form: a list of {code, description} (Chinese first, English after)."""
    return [{"code": code, "description": f"{zh} / {en}"}]
