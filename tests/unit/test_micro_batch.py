"""Inline understanding micro-batches concurrent submissions: one model call for those that arrive together,
each caller gets its own result, a lone caller runs at once, a failure reaches every caller of its batch."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from minyi.understanding.batching import MicroBatch


def test_callers_that_arrive_while_a_batch_runs_share_the_next_model_call() -> None:
    calls: list[list[int]] = []
    gate = threading.Event()

    def run(items: list[int]) -> list[int]:
        calls.append(items)
        if len(calls) == 1:
            gate.wait(5)  # the first batch is slow: the others queue behind it
        return [i * 10 for i in items]

    batch: MicroBatch[int, int] = MicroBatch(run, size=4)
    with ThreadPoolExecutor(8) as pool:
        first = pool.submit(batch, 0)
        while not calls:
            time.sleep(0.001)
        rest = [pool.submit(batch, i) for i in range(1, 7)]
        while len(batch._pending) < 6:
            time.sleep(0.001)
        gate.set()
        assert [f.result(5) for f in [first, *rest]] == [0, 10, 20, 30, 40, 50, 60]
    assert calls[0] == [0] and sorted(i for c in calls[1:] for i in c) == [1, 2, 3, 4, 5, 6]
    assert len(calls) == 3 and max(len(c) for c in calls) == 4  # bounded: 6 waiting go as 4 + 2


def test_a_lone_caller_runs_at_once_and_a_failure_reaches_its_callers() -> None:
    batch: MicroBatch[str, str] = MicroBatch(lambda items: [s.upper() for s in items])
    start = time.monotonic()
    assert batch("a") == "A" and batch("b") == "B" and batch.batches == 2
    assert time.monotonic() - start < 0.5

    def broken(items: list[str]) -> list[str]:
        raise RuntimeError("model missing")

    with pytest.raises(RuntimeError):
        MicroBatch(broken)("x")
