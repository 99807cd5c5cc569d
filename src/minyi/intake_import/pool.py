"""Reading and checking an import's rows in worker processes, one per core, handed back in file order.

The main process reads the file (the csv module, in C) and hands out chunks of raw rows; each worker turns a
chunk into `ImportRow`s or `RowError`s (`rows.parse_row`, pure: the column map and the region and department
names are given to it once, at its start) and the main process takes the results back in the order the chunks
were read, so line numbers, batches and the duplicate check are what they are in one process. At most `AHEAD`
chunks per worker are in flight, so memory does not grow with the file. The workers are spawned, fresh
interpreters that inherit no open file (a forked worker would keep the SQLite writer lock's file open, and with
it the lock, after the importer is killed), and each ends itself when the importer is gone. They run pure code
only: the database is only ever touched by the main process. They are the importer's own children, so its CPU
and memory figures count them. A calling script needs multiprocessing's `if __name__ == "__main__":` guard.
One worker means no pool at all: the rows are parsed here. That is `minyi import`'s default: measured, reading
and checking a row costs about 7 µs of the row's 140 and a spawned worker's start 0.3-4 s of CPU, so the pool
pays only once the rows are also built in the workers (docs/benchmarks.md, "The pool of workers").
"""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import UTC, datetime
from itertools import islice
from types import SimpleNamespace
from typing import Any

from minyi.intake_import.rows import FUTURE_SLACK, ImportRow, Lookups, RowError, parse_row

CHUNK = 500  # rows per task: large enough that handing it over is cheap beside parsing it
AHEAD = 3  # tasks in flight per worker: the workers stay busy while the main process writes a batch
Parsed = ImportRow | RowError

_columns: dict[str, int] = {}
_lookups: Any = None


def parse_rows(
    rows: Iterable[list[Any]], columns: dict[str, int], lookups: Lookups, workers: int, first_line: int = 2
) -> Iterator[tuple[int, Parsed]]:
    """(line, row or error) for every row, in file order; "in the future" is judged per chunk (one clock read)."""
    it = iter(rows)
    if workers <= 1:
        line = first_line
        while chunk := list(islice(it, CHUNK)):
            latest = datetime.now(UTC) + FUTURE_SLACK
            for raw in chunk:
                yield line, parse_row(line, raw, columns, lookups, latest)
                line += 1
        return
    plain = (lookups.region_codes, lookups.region_by_name, lookups.dept_by_name)
    context = mp.get_context("spawn")
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start, initargs=(os.getpid(), columns, plain)
    ) as pool:
        pending: deque[tuple[int, Future[list[Parsed]]]] = deque()
        line = first_line
        while chunk := list(islice(it, CHUNK)):
            pending.append((line, pool.submit(_parse_chunk, line, chunk, datetime.now(UTC) + FUTURE_SLACK)))
            line += len(chunk)
            if len(pending) >= AHEAD * workers:
                yield from _numbered(*pending.popleft())
        while pending:
            yield from _numbered(*pending.popleft())


def _numbered(line: int, done: Future[list[Parsed]]) -> Iterator[tuple[int, Parsed]]:
    return enumerate(done.result(), start=line)


def _start(
    parent: int, columns: dict[str, int], plain: tuple[set[str], dict[str, str], dict[str, int]]
) -> None:
    global _columns, _lookups
    threading.Thread(target=_end_with, args=(parent,), daemon=True).start()
    region_codes, region_by_name, dept_by_name = plain
    _columns = columns
    _lookups = SimpleNamespace(
        region_codes=region_codes, region_by_name=region_by_name, dept_by_name=dept_by_name
    )


def _end_with(parent: int) -> None:
    """End this worker once the importer is gone (killed: nothing else would tell it, and it would wait forever)."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _parse_chunk(line: int, chunk: list[list[Any]], latest: datetime) -> list[Parsed]:
    return [parse_row(n, raw, _columns, _lookups, latest) for n, raw in enumerate(chunk, start=line)]
