"""What sign-in needs of a limit on failures: failures per address, and a lock-out per (account, address).

A stranger who guesses wrong five times locks the account only for their own address, never for its owner
elsewhere; an address that fails too often (any accounts) waits. The limit is counted in the database by every
process of the app (`minyi.ratelimit.signin`, built by the app); a refused attempt writes nothing, so an attack
cannot load the writer. See docs/architecture.md, "Rate limits".
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.orm import Session


class SignInThrottle(Protocol):
    """The limit do_authenticate consults before a password check and tells of the outcome."""

    def retry_after(self, session: Session, username: str, address: str) -> int:
        """Whole seconds this address must wait before trying this account again (0: it may try now)."""
        ...

    def failed(self, session: Session, username: str, address: str) -> None: ...

    def succeeded(self, session: Session, username: str, address: str) -> None: ...
