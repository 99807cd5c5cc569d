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
