"""A streaming Merkle tree (RFC 6962 shape): the root of a million leaves in O(log n) memory. Pure."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable


def leaf_hash(data: bytes) -> bytes:
    """SHA-256 of 0x00 || data: a leaf can never be passed off as an inner node."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256 of 0x01 || left || right."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def merkle_root(leaves: Iterable[bytes]) -> str:
    """The hex root over the leaves' data in order; the empty tree's root is SHA-256 of nothing.

    Equal to RFC 6962's MTH: full subtrees are joined as they complete, the ragged right edge at the end.
    """
    stack: list[tuple[int, bytes]] = []  # (size of the full subtree, its hash), sizes strictly decreasing
    for data in leaves:
        size, h = 1, leaf_hash(data)
        while stack and stack[-1][0] == size:
            left_size, left = stack.pop()
            size, h = left_size + size, node_hash(left, h)
        stack.append((size, h))
    if not stack:
        return hashlib.sha256(b"").hexdigest()
    _, h = stack.pop()
    while stack:
        _, left = stack.pop()
        h = node_hash(left, h)
    return h.hex()


def case_leaf(case_id: int, event_count: int, head: str) -> bytes:
    """The leaf of one case chain's head."""
    return f"case|{case_id}|{event_count}|{head}".encode()


def entries_leaf(seq: int, head: str) -> bytes:
    """The leaf of the audit entries' head (the last leaf of every checkpoint)."""
    return f"entries|{seq}|{head}".encode()
