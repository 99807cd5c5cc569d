"""Micro-batching for inline understanding: submissions that arrive together go through the models once.

The topic model costs far less per message in a batch than one message at a time (docs/benchmarks.md), so
concurrent intake requests (each in its own worker thread) hand their text to one `MicroBatch`. One batch runs at
a time; what arrives meanwhile waits and goes, all of it (at most `size`), in the next model call. The window is
thus the running batch's own time: a lone request runs at once (no added latency when the server is quiet), and
batches grow with the load. `window` adds a fixed wait for others before a batch starts (0: none).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

In = TypeVar("In")
Out = TypeVar("Out")

BATCH_SIZE = 16  # at most this many in one model call (beyond ~16 the gain per message is small)


class _Slot(Generic[In, Out]):
    __slots__ = ("item", "result", "error", "done")

    def __init__(self, item: In) -> None:
        self.item = item
        self.result: Out | None = None
        self.error: BaseException | None = None
        self.done = threading.Event()


class MicroBatch(Generic[In, Out]):
    """Call `run` on the items of concurrent callers together (a short window, a bounded batch); thread-safe."""

    def __init__(
        self, run: Callable[[list[In]], list[Out]], *, window: float = 0.0, size: int = BATCH_SIZE
    ) -> None:
        self.run, self.window, self.size = run, window, size
        self._pending: list[_Slot[In, Out]] = []
        self._running = False
        self._cond = threading.Condition()
        self.batches = 0  # how many model calls (for the tests and the bench)

    def __call__(self, item: In) -> Out:
        slot: _Slot[In, Out] = _Slot(item)
        with self._cond:
            self._pending.append(slot)
            while self._running and not slot.done.is_set():
                self._cond.wait()  # a batch is running: ours goes in the next one (or was taken by it)
            batch: list[_Slot[In, Out]] = []
            if not slot.done.is_set():
                self._running = True
                if self.window:
                    deadline = time.monotonic() + self.window
                    while len(self._pending) < self.size and (left := deadline - time.monotonic()) > 0:
                        self._cond.wait(left)
                others = [
                    s for s in self._pending if s is not slot
                ]  # its own item always in the batch it runs
                batch, self._pending = [slot, *others[: self.size - 1]], others[self.size - 1 :]
                self.batches += 1
        if batch:
            try:
                self._run(batch)
            finally:
                with self._cond:
                    self._running = False
                    self._cond.notify_all()
        slot.done.wait()
        if slot.error is not None:
            raise slot.error
        return slot.result  # type: ignore[return-value]

    def _run(self, batch: list[_Slot[In, Out]]) -> None:
        try:
            results = self.run([s.item for s in batch])
            for s, r in zip(batch, results, strict=True):
                s.result = r
        except BaseException as exc:  # every caller of the batch sees the failure, none waits forever
            for s in batch:
                s.error = exc
        finally:
            for s in batch:
                s.done.set()
