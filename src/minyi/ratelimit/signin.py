"""Sign-in failures counted in `rate_counters`: per address, and per (account, address) for the lock-out."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from minyi.ratelimit.counters import Clock, Limit, add, check_wait, clear
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
        clear(session, self._pair, self._pair_of(username, address))
