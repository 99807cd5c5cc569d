"""Peak memory of a command's whole process tree (its workers included): `python bench/tree_rss.py CMD ...`.

Samples every 50 ms the resident set of the command and of every process below it (from /proc), and prints
the largest sum seen, beside the command's own exit status and wall time. Resident pages shared between
processes are counted once per process, so the sum is an upper bound.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path


def tree(pid: int) -> list[int]:
    """The process and its descendants, from /proc's children lists."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                todo.extend(int(c) for c in (task / "children").read_text().split())
            except OSError:
                continue
    return found


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def main(cmd: list[str]) -> int:
    started = time.perf_counter()
    proc = subprocess.Popen(cmd)
    peak, most = 0, 0
    while proc.poll() is None:
        pids = tree(proc.pid)
        peak, most = max(peak, sum(rss_kb(p) for p in pids)), max(most, len(pids))
        time.sleep(0.05)
    print(f"peak RSS of the tree {peak / 1024:.0f} MB (up to {most} processes), exit {proc.returncode}, "
          f"{time.perf_counter() - started:.1f} s", file=sys.stderr)  # fmt: skip
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
