"""A pytest plugin that prints the run's wall time and CPU (its own, its children's, and the test PostgreSQL's
backends as their postmaster reaped them), steadier than wall time on a shared machine.

Use: PYTHONPATH=src:.:bench pytest -p pytest_cpu_plugin ... (see bench/bench_suite.sh)."""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Iterator

import pytest

_PG = {"cpu": 0.0}
_T0 = time.monotonic()


def _pg_cpu() -> None:
    try:
        from tests.support.pgserver import _RUNNING
    except ImportError:
        return
    total = 0.0
    for servers in list(_RUNNING.values()):
        for data in servers.started:
            try:
                pid = int((data / "postmaster.pid").read_text().split()[0])
                with open(f"/proc/{pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                total += sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")
            except (OSError, ValueError):
                pass
    if total:
        _PG["cpu"] = total


@pytest.fixture(autouse=True)
def _postgres_cpu() -> Iterator[None]:
    yield
    _pg_cpu()


def pytest_sessionfinish(session: pytest.Session) -> None:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        f"\nSXCPU wall={time.monotonic() - _T0:.1f} self={me.ru_utime + me.ru_stime:.1f} "
        f"children={kids.ru_utime + kids.ru_stime:.1f} pg={_PG['cpu']:.1f}"
    )
