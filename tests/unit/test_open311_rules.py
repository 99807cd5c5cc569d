"""Pure Open311 rules: service codes, open/closed, keys, the rate limit, the XML form."""

from __future__ import annotations

from xml.etree.ElementTree import fromstring

from minyi.opendata.rules import (
    hash_key,
    new_api_key,
    one_xml,
    open311_status,
    parse_service_code,
    to_xml,
)


def test_service_codes_name_a_public_kind_and_a_known_group() -> None:
    assert parse_service_code("complaint.01", ["01"]) == ("complaint", "01")
    assert parse_service_code("report.01", ["01"]) is None  # misconduct reports are never a public service
    assert parse_service_code("complaint.99", ["01"]) is None
    assert parse_service_code("complaint", ["01"]) is None


def test_only_finished_demands_are_closed() -> None:
    assert [open311_status(s) for s in ("accepted", "replied", "rehandling")] == ["open"] * 3
    assert [open311_status(s) for s in ("closed", "declined", "withdrawn", "merged")] == ["closed"] * 4


def test_keys_are_fresh_and_only_their_hash_is_kept() -> None:
    a, b = new_api_key(), new_api_key()
    assert a != b and a.startswith("o311_") and len(hash_key(a)) == 64 and a not in hash_key(a)


def test_xml_lists_and_objects_are_well_formed() -> None:
    body = to_xml("services", "service", [{"service_code": "a<b&", "metadata": True, "group": None}])
    node = fromstring(body)
    assert node.find("service/service_code").text == "a<b&"  # type: ignore[union-attr]
    assert node.find("service/metadata").text == "true"  # type: ignore[union-attr]
    one = fromstring(one_xml("service_definition", {"attributes": [{"values": [{"key": "k", "name": "n"}]}]}))
    assert one.find("attributes/attribute/values/value/key").text == "k"  # type: ignore[union-attr]
