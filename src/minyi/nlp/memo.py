"""Work shared within one enrichment batch: the emotion and topic models read the same normalised, folded and
segmented text whenever a message is shorter than both their limits, so each step is done once per text."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")
_MEMO: ContextVar[dict[str, dict[str, object]] | None] = ContextVar("minyi_nlp_memo", default=None)


@contextmanager
def shared() -> Iterator[None]:
    """Within the block, `cached` computes each (step, text) once; the memory goes with the block."""
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def cached(step: str, text: str, compute: Callable[[str], T]) -> T:
    """compute(text), from the block's memory when `shared` is on (compute must be a pure function of text)."""
    memo = _MEMO.get()
    if memo is None:
        return compute(text)
    table = memo.setdefault(step, {})
    if text in table:
        return table[text]  # type: ignore[return-value]
    value = table[text] = compute(text)
    return value
