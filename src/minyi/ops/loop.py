"""A thread of the server that does one piece of periodic work (sending the outbox, printing the reports) on a
single SQLite process, where there is no job queue: every `period` seconds, or at once when woken."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sqlalchemy import Engine

log = logging.getLogger(__name__)


class Loop:
    """Runs `step` in a daemon thread until stopped; a failing step is logged and tried again next period."""

    def __init__(self, name: str, period: float) -> None:
        self.name, self.period = name, period
        self._wakeup, self._stop, self._lock = threading.Event(), threading.Event(), threading.Lock()
        self._thread: threading.Thread | None = None

    def _run(self, step: Callable[[], object]) -> None:
        while not self._stop.is_set():
            try:
                step()
            except Exception:  # pragma: no cover - logged; the next period tries again, nothing is lost
                log.exception("%s: the periodic work failed", self.name)
            self._wakeup.wait(self.period)
            self._wakeup.clear()

    def start(self, step: Callable[[], object]) -> None:
        """Start the thread once per process."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, args=(step,), name=self.name, daemon=True)
            self._thread.start()

    def wake(self) -> None:
        """Do the work now rather than at the end of the period."""
        self._wakeup.set()

    def stop(self, timeout: float = 15) -> None:
        """Stop the thread (server shutdown); a step under way finishes first, up to `timeout`."""
        with self._lock:
            self._stop.set()
            self._wakeup.set()
            if self._thread is not None:
                self._thread.join(timeout=timeout)
            self._thread = None


def in_process(engine: Engine, setting: bool | None, env: str) -> bool:
    """Whether the server runs the work itself: as configured; by default on SQLite outside tests."""
    if setting is not None:
        return setting
    return engine.dialect.name == "sqlite" and env != "test"
