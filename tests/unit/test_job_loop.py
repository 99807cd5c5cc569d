"""The job worker's event loop runs with no exception being handled (issue 15: the worker's memory grew per job)."""

from __future__ import annotations

import asyncio
import sys

from minyi.understanding.jobs import _run_in_own_loop


def test_the_loop_runs_outside_any_except_block() -> None:
    """asgiref's sync_to_async re-raises `sys.exc_info()` in every sync task's thread: a loop started inside an
    `except` block made one exception's traceback grow by a frame (and its job's objects) with each job."""
    seen: list[object] = []

    async def main() -> None:
        seen.append(sys.exc_info()[1])
        seen.append(await asyncio.to_thread(lambda: sys.exc_info()[1]))

    _run_in_own_loop(main)
    assert seen == [None, None]
