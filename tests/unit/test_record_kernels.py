"""The record's pure kernels: the streaming Merkle root and the state a case's events imply."""

from __future__ import annotations

import hashlib

from minyi.audit.merkle import leaf_hash, merkle_root, node_hash
from minyi.audit.replay import derive_state, state_differences


def _rfc6962(leaves: list[bytes]) -> bytes:
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaf_hash(leaves[0])
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return node_hash(_rfc6962(leaves[:k]), _rfc6962(leaves[k:]))


def test_the_streaming_root_is_rfc_6962s_for_every_size() -> None:
    for n in range(40):
        leaves = [f"case|{i}|3|{'a' * 64}".encode() for i in range(n)]
        assert merkle_root(iter(leaves)) == _rfc6962(leaves).hex()


def test_any_changed_or_missing_leaf_changes_the_root() -> None:
    leaves = [str(i).encode() for i in range(9)]
    root = merkle_root(leaves)
    assert merkle_root(leaves[:-1]) != root and merkle_root([*leaves[:4], b"x", *leaves[5:]]) != root


def _ev(action: str, to: str | None, note: str | None = None, **data: object) -> dict[str, object]:
    return {"action": action, "to_status": to, "note": note, "data": data}


HISTORY = [
    _ev("register", "registered"), _ev("accept", "accepted"), _ev("assign", "assigned"),
    _ev("sign_for", "in_progress"), _ev("escalate", "in_progress", level=1), _ev("reply", "replied", "已修复"),
    _ev("evaluate", "rehandling", "没修好", evaluation="unsatisfied"), _ev("reply", "replied", "再次修复"),
    _ev("evaluate", "closed", evaluation="satisfied"),
]  # fmt: skip


def test_a_history_implies_its_state() -> None:
    assert derive_state(HISTORY) == {
        "status": "closed", "version": 8, "event_count": 9, "round": 2, "evaluation": "satisfied",
        "evaluation_comment": None, "reply_text": "再次修复", "closed": True,
    }  # fmt: skip


def test_a_row_that_contradicts_its_history_is_named_column_by_column() -> None:
    row = {**derive_state(HISTORY), "closed_at": "2026-11-30"}
    assert state_differences(row, HISTORY) == []
    row = {**row, "status": "replied", "reply_text": "已修复"}
    assert [d.split(":")[0] for d in state_differences(row, HISTORY)] == ["status", "reply_text"]
