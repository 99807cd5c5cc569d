"""Records kept outside the case chains and the audit entries, checked by `minyi audit verify` all the same.

A slice that keeps its own tamper-evident record (the consultations' vote chains) registers a verifier here;
the audit slice calls every registered one and never imports the slices. A verifier yields one line per
problem, naming the record and the position that broke.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from sqlalchemy.orm import Session

RecordVerifier = Callable[[Session], Iterable[str]]
_VERIFIERS: dict[str, RecordVerifier] = {}


def record_verifier(name: str) -> Callable[[RecordVerifier], RecordVerifier]:
    """Register `fn(session)` under `name` (registering a name again replaces it: modules may be reloaded)."""

    def add(fn: RecordVerifier) -> RecordVerifier:
        _VERIFIERS[name] = fn
        return fn

    return add


def run_verifiers(session: Session) -> Iterator[str]:
    """Every registered verifier's problems, in registration order."""
    for verify in list(_VERIFIERS.values()):
        yield from verify(session)
