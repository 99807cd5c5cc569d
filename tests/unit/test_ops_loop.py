"""The server's in-process loop: runs its step at once and when woken, survives a failing step, stops."""

from __future__ import annotations

import threading

from minyi.ops.loop import Loop


def test_a_loop_runs_at_once_again_when_woken_and_after_a_failure_then_stops() -> None:
    runs: list[int] = []
    ran = threading.Event()

    def step() -> None:
        runs.append(len(runs))
        ran.set()
        if len(runs) == 2:
            raise RuntimeError("a failing step is logged, not fatal")

    loop = Loop("test-loop", period=3600)
    loop.start(step)
    loop.start(step)  # once per process
    assert ran.wait(5)
    for expected in (2, 3):
        ran.clear()
        loop.wake()
        assert ran.wait(5) and len(runs) == expected
    loop.stop()
    assert loop._thread is None and len(runs) == 3
