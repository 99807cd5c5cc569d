"""Sign-in failures counted in `rate_counters`: per address, and per (account, address) for the lock-out.

A place is taken in both limits before the password is checked (`reserve`, one capped atomic upsert each), and
given back when the sign-in succeeds: counting a failure only after the check let every guess sent at once pass
the check of the count (a burst of hundreds of Argon2 checks per window against a lock-out of five)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from minyi.ratelimit.counters import Clock, Limit, add, attempt, check_wait, clear, release
from minyi.settings import get_settings


@dataclass
class SharedSignInThrottle:
    """Failures per address and per (username, address) in sliding windows, shared by every process."""

    per_account_address: int
    per_address: int
    window_s: int
    clock: Clock = field(default=time.time)

    def __post_init__(self) -> None:
        self._pair = Limit("sign-in:account-address", self.per_account_address, self.window_s)
        self._address = Limit("sign-in:address", self.per_address, self.window_s)

    @classmethod
    def from_settings(cls) -> SharedSignInThrottle:
        s = get_settings()
        return cls(s.login_max_failures, s.login_address_max_failures, 60 * s.login_lockout_minutes)

    @staticmethod
    def _pair_of(username: str, address: str) -> str:
        return f"{username.lower()}\x00{address}"

    def reserve(self, session: Session, username: str, address: str) -> int:
        """Take a place for one attempt in both limits (0), or refuse it, taking none (the seconds to wait)."""
        wait = attempt(session, self._address, address, clock=self.clock)
        if wait:
            return wait
        wait = attempt(session, self._pair, self._pair_of(username, address), clock=self.clock)
        if wait:
            release(session, self._address, address, clock=self.clock)
        return wait

    def retry_after(self, session: Session, username: str, address: str) -> int:
        by_address = check_wait(session, self._address, address, clock=self.clock)
        return by_address or check_wait(
            session, self._pair, self._pair_of(username, address), clock=self.clock
        )

    def failed(self, session: Session, username: str, address: str) -> None:
        add(
            session,
            (self._address, address),
            (self._pair, self._pair_of(username, address)),
            clock=self.clock,
        )

    def succeeded(self, session: Session, username: str, address: str) -> None:
        """A sign-in that succeeded: the account's failures from this address are forgotten, and the address's
        place given back (an office behind one address signs in all day)."""
        clear(session, self._pair, self._pair_of(username, address))
        release(session, self._address, address, clock=self.clock)
