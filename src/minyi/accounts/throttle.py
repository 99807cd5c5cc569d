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
    """The limit do_authenticate takes a place in before a password check, and tells of a success."""

    def reserve(self, session: Session, username: str, address: str) -> int:
        """Take a place for one attempt (0), or the whole seconds this address must wait for this account; a
        place taken stands as a failure unless `succeeded` gives it back."""
        ...

    def succeeded(self, session: Session, username: str, address: str) -> None: ...
