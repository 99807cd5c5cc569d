"""Where the commands get messages and outcomes: a file now; the lead plugs the database in with `set_source`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from minyi.insight.model import CaseOutcome, Message
from minyi.insight.readers import read_messages

MessageSource = Callable[[], Iterable[Message]]
OutcomeSource = Callable[[], Iterable[CaseOutcome]]
_messages: MessageSource | None = None
_outcomes: OutcomeSource | None = None


def set_source(messages: MessageSource | None, outcomes: OutcomeSource | None = None) -> None:
    """Register the database adapters used when a command gets no --input."""
    global _messages, _outcomes
    _messages, _outcomes = messages, outcomes


def load_messages(path: Path | None) -> list[Message]:
    """Messages from a CSV file, or from the registered source."""
    if path is not None:
        return list(read_messages(path))
    if _messages is None:
        raise LookupError("没有 --input，也没有注册数据库来源（minyi.insight.sources.set_source）")
    return list(_messages())


def load_outcomes() -> list[CaseOutcome]:
    """Outcomes from the registered source, or none."""
    return list(_outcomes()) if _outcomes else []
