"""Sign-in limits kept in memory: failures per address, and a lock-out per (account, address).

A stranger who guesses wrong five times locks the account only for their own address, never for its owner
elsewhere; an address that fails too often (any accounts) waits. Nothing is written to the database on a
refused attempt, so an attack cannot load the writer. See docs/architecture.md, "Sign-in limits".
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from minyi.settings import get_settings

MAX_KEYS = 100_000  # memory bound: the least recently failed keys are forgotten first


@dataclass
class _Window:
    limit: int
    window_s: float
    keys: OrderedDict[object, deque[float]] = field(default_factory=OrderedDict)

    def wait(self, key: object, now: float) -> float:
        """Seconds until `key` may try again (0: now)."""
        times = self.keys.get(key)
        if not times:
            return 0.0
        while times and times[0] <= now - self.window_s:
            times.popleft()
        if len(times) < self.limit:
            return 0.0
        return times[-self.limit] + self.window_s - now

    def add(self, key: object, now: float) -> None:
        times = self.keys.setdefault(key, deque(maxlen=self.limit))
        times.append(now)
        self.keys.move_to_end(key)
        while len(self.keys) > MAX_KEYS:
            self.keys.popitem(last=False)

    def clear(self, key: object) -> None:
        self.keys.pop(key, None)


class SignInThrottle:
    """Failures counted per address and per (username, address) in sliding windows; thread-safe."""

    def __init__(
        self,
        *,
        per_account_address: int,
        per_address: int,
        window_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._pair = _Window(per_account_address, window_s)
        self._address = _Window(per_address, window_s)
        self._clock = clock
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls) -> SignInThrottle:
        s = get_settings()
        return cls(
            per_account_address=s.login_max_failures,
            per_address=s.login_address_max_failures,
            window_s=60.0 * s.login_lockout_minutes,
        )

    def retry_after(self, username: str, address: str) -> int:
        """Whole seconds this address must wait before trying this account again (0: it may try now)."""
        now = self._clock()
        with self._lock:
            wait = max(self._address.wait(address, now), self._pair.wait((username.lower(), address), now))
        return math.ceil(wait)

    def failed(self, username: str, address: str) -> None:
        now = self._clock()
        with self._lock:
            self._address.add(address, now)
            self._pair.add((username.lower(), address), now)

    def succeeded(self, username: str, address: str) -> None:
        with self._lock:
            self._pair.clear((username.lower(), address))


class AttemptLimiter:
    """Every attempt counted per key (an address) in a sliding window, whatever its outcome; thread-safe.

    For guesses whose answer must not leak (a tracking code offered to join a consultation): success and
    failure count alike, so the limiter itself tells nothing.
    """

    def __init__(self, limit: int, window_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._window = _Window(limit, window_s)
        self._clock = clock
        self._lock = threading.Lock()

    def attempt(self, key: object) -> int:
        """Count one attempt and return 0, or refuse it (not counted) with the whole seconds left to wait."""
        now = self._clock()
        with self._lock:
            wait = self._window.wait(key, now)
            if wait <= 0:
                self._window.add(key, now)
        return math.ceil(wait)
