"""Keyed hash chain over a case's events: any edited, inserted or deleted event breaks it. Pure."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

GENESIS = "0" * 64


def canonical(payload: Mapping[str, Any]) -> bytes:
    """A stable byte form: sorted keys, no spaces, datetimes as ISO 8601 UTC."""

    def default(value: Any) -> str:
        if isinstance(value, datetime):
            return value.isoformat()
        raise TypeError(f"cannot hash {type(value).__name__}")

    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=default
    ).encode()


def link_hash(key: bytes, prev_hash: str, payload: Mapping[str, Any]) -> str:
    """HMAC-SHA256 of the previous hash and this event: without the key no one can forge a new chain."""
    return hmac.new(key, prev_hash.encode() + b"|" + canonical(payload), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class ChainProblem:
    """Where a chain breaks and why."""

    case_id: int
    position: int
    problem: str


def verify_chain(
    key: bytes,
    case_id: int,
    events: Iterable[tuple[int, str, str, Mapping[str, Any]]],
    head_count: int,
    head_hash: str,
) -> list[ChainProblem]:
    """Check (seq, prev_hash, hash, payload) rows in order against the case's recorded head."""
    problems: list[ChainProblem] = []
    prev, expected_seq = GENESIS, 1
    for seq, prev_hash, stored_hash, payload in events:
        if seq != expected_seq:
            what = "missing event(s)" if seq > expected_seq else "duplicate or inserted event"
            problems.append(ChainProblem(case_id, expected_seq, f"{what}: found seq {seq}"))
            return problems
        if prev_hash != prev:
            problems.append(ChainProblem(case_id, seq, "link to previous event broken (deleted or inserted)"))
            return problems
        if link_hash(key, prev_hash, payload) != stored_hash:
            problems.append(ChainProblem(case_id, seq, "event content does not match its hash (edited)"))
            return problems
        prev, expected_seq = stored_hash, seq + 1
    if expected_seq - 1 != head_count or prev != head_hash:
        problems.append(
            ChainProblem(
                case_id, expected_seq, f"chain ends at {expected_seq - 1} but the case records {head_count}"
            )
        )
    return problems


_STR = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) writes for a str, in C


class CanonicalTemplate:
    """`canonical(payload)` for many payloads that differ from a sample only at a few scalar places (bulk writers).

    The sample is rendered once with a marker at each slot; a payload is then that text with its slot values in
    JSON (a str through json's own C encoder, an int as json writes it), with no json.dumps per payload. Slots
    are key paths such as ("data", "ref"); their values must be str or int, as in the sample.
    """

    def __init__(self, sample: Mapping[str, Any], slots: list[tuple[str, ...]]) -> None:
        marked = _copy(sample)
        markers: list[str] = []
        self.encoders: list[Any] = []
        for n, path in enumerate(slots):
            value = _at(sample, path)
            if type(value) not in (str, int):
                raise TypeError(f"slot {'.'.join(path)} holds {type(value).__name__}, not str or int")
            markers.append(_STR(f"\x00slot{n}\x00"))
            _set(marked, path, f"\x00slot{n}\x00")
            self.encoders.append(int.__repr__ if type(value) is int else _STR)
        text = canonical(marked).decode().replace("{", "{{").replace("}", "}}")
        for n, marker in enumerate(markers):
            if text.count(marker) != 1:
                raise ValueError(f"slot {'.'.join(slots[n])} not found once in the sample")
            text = text.replace(marker, f"{{{n}}}")
        self.format = text.format

    def render(self, *values: Any) -> bytes:
        """canonical() of the sample with `values` at the slots (in the slots' order)."""
        return self.format(*[enc(v) for enc, v in zip(self.encoders, values, strict=True)]).encode()


def _copy(payload: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _copy(v) if isinstance(v, Mapping) else v for k, v in payload.items()}


def _at(payload: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = payload
    for key in path:
        value = value[key]
    return value


def _set(payload: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        payload = payload[key]
    payload[path[-1]] = value
