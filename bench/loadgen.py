"""A small load generator and process meter for the soak and scale-out benchmarks (no wrk: it needs a fixed
rate, a mix of reads and writes, several servers and per-interval figures).

- `drive`: requests from a mix, either open-loop at a fixed rate (the arrival times do not wait for the answers,
  as real users do not; in-flight requests are capped and a request that finds the cap full is counted late)
  or closed-loop with a number of concurrent clients (to find the capacity);
- `Meter`: CPU seconds and resident memory of process trees from /proc (children that exited count through
  their parent's cutime/cstime, so the PostgreSQL backends that came and went are included).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import time
import urllib.parse
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

TICK = os.sysconf("SC_CLK_TCK")
WORDS = ["路灯", "噪音", "垃圾", "小区", "物业", "停车", "学校", "公交", "供水", "路灯不亮"]
Request = tuple[str, str, str, bytes | None]  # kind, method, path, JSON body
Pick = Callable[[random.Random], Request]
# the client's pool closes a connection idle this long: below the server's keep-alive (`minyi serve`:
# MINYI_SERVER_KEEPALIVE_SECONDS, 75 s), so the client, never the server, closes an idle connection and no request
# is sent on one the server is closing (bench/keepalive_race.py). No retry: every lost request counts as an error.
KEEPALIVE_EXPIRY = 5.0


def bodies(path: Path | None = None, n: int = 2000) -> list[bytes]:
    """Submissions: the real messages of shared/data when present (read at run time), generated otherwise."""
    from minyi.settings import get_settings

    source = path or get_settings().shared_data / "teddy2020" / "messages_unlabelled.csv"
    rows: list[tuple[str, str]] = []
    if source.exists():
        import csv

        with open(source, encoding="utf-8") as f:
            rows = [((r.get("title") or r["detail"][:30])[:200], r["detail"][:10_000])
                    for r in csv.DictReader(f) if r.get("detail")][:n]  # fmt: skip
    rows = rows or [(f"路灯不亮{i}", f"湖滨路{i}号门口的路灯坏了，请维修。") for i in range(n)]
    return [json.dumps({"kind": "complaint", "channel": "hotline", "title": t, "body": b,
                        "region_code": "990102001"}, ensure_ascii=False).encode() for t, b in rows]  # fmt: skip


def mixed(
    writes: float, case_ids: list[int], topics: list[str], subs: list[bytes]
) -> Callable[[random.Random], Request]:
    """A mix: `writes` of the requests submit a case, the rest read public pages (case pages 40 %, lists 25 %,
    word search 35 %). The scoreboard is left out: at a million cases one cold computation takes longer than its
    60-second cache lives (docs/benchmarks.md), so it would be all the soak measured."""

    def one(rng: random.Random) -> Request:
        r = rng.random()
        if r < writes:
            return "submit", "POST", "/api/v1/cases", rng.choice(subs)
        r = (r - writes) / (1 - writes)
        if r < 0.4:
            return "case page", "GET", f"/cases/{rng.choice(case_ids)}", None
        if r < 0.65:
            extra = rng.choice(["", f"?page={rng.randint(2, 20)}", f"?topic={rng.choice(topics)}"])
            return "list", "GET", "/cases" + extra, None
        return "search", "GET", "/cases?q=" + urllib.parse.quote(rng.choice(WORDS)), None

    return one


@dataclass
class Stats:
    """What came back, by kind of request."""

    ok: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    late: int = 0
    sent: int = 0  # requests started (past the in-flight cap)
    arrived: int = 0  # open loop: requests due by the arrival schedule, started or waiting
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    error_samples: list[str] = field(default_factory=list)

    def total(self) -> int:
        return sum(self.ok.values()) + sum(self.errors.values())

    def summary(self) -> str:
        parts = []
        for kind in sorted(self.latencies):
            ts = self.latencies[kind]
            p95 = statistics.quantiles(ts, n=20)[18] if len(ts) >= 20 else max(ts)
            parts.append(f"{kind} {self.ok[kind]} ok/{self.errors[kind]} err p50 {statistics.median(ts):.0f} "
                         f"p95 {p95:.0f} ms")  # fmt: skip
        return "; ".join(parts)


async def drive(
    bases: list[str],
    pick: Callable[[random.Random], Request],
    seconds: float,
    *,
    rate: float | None = None,
    concurrency: int = 16,
    on_tick: Callable[[float, Stats], None] | None = None,
    tick: float = 10.0,
    seed: int = 1,
) -> Stats:
    """Send requests for `seconds`: at `rate` per second (open loop), or as fast as `concurrency` clients go.
    Reads and writes use separate clients so that the read-your-writes cookie does not pin reads to the
    primary (each citizen has their own browser); requests alternate over `bases` (several app servers)."""
    rng, stats = random.Random(seed), Stats()
    limits = httpx.Limits(max_connections=concurrency * 2, max_keepalive_connections=concurrency * 2,
                          keepalive_expiry=KEEPALIVE_EXPIRY)  # fmt: skip
    readers = [httpx.AsyncClient(base_url=b, limits=limits, timeout=60) for b in bases]
    writers = [httpx.AsyncClient(base_url=b, limits=limits, timeout=60) for b in bases]
    gate = asyncio.Semaphore(concurrency)
    start = time.perf_counter()
    n = 0

    async def send(i: int) -> None:
        kind, method, path, body = pick(rng)
        stats.sent += 1
        client = (writers if method == "POST" else readers)[i % len(bases)]
        t = time.perf_counter()
        try:
            headers = {"Content-Type": "application/json"} if body else None
            resp = await client.request(method, path, content=body, headers=headers)
            good = resp.status_code < 400
            if not good and len(stats.error_samples) < 10:
                stats.error_samples.append(f"{method} {path} {resp.status_code} {resp.text[:200]}")
        except httpx.HTTPError as exc:
            good = False
            if len(stats.error_samples) < 10:
                stats.error_samples.append(f"{method} {path} {exc!r}")
        (stats.ok if good else stats.errors)[kind] += 1
        stats.latencies[kind].append((time.perf_counter() - t) * 1000)

    async def closed_client(k: int) -> None:
        i = k
        while time.perf_counter() - start < seconds:
            await send(i)
            i += concurrency

    async def ticker() -> None:
        while time.perf_counter() - start < seconds:
            await asyncio.sleep(tick)
            if on_tick:
                on_tick(time.perf_counter() - start, stats)

    tick_task = asyncio.create_task(ticker())
    if rate is None:
        await asyncio.gather(*(closed_client(k) for k in range(concurrency)))
    else:
        pending: set[asyncio.Task[None]] = set()

        async def gated(i: int) -> None:
            async with gate:
                await send(i)

        while (now := time.perf_counter() - start) < seconds:
            due = n / rate
            if due > now:
                await asyncio.sleep(due - now)
            if gate.locked():
                stats.late += 1
            task = asyncio.create_task(gated(n))
            pending.add(task)
            task.add_done_callback(pending.discard)
            n += 1
            stats.arrived = n
        await asyncio.gather(*pending)
    tick_task.cancel()
    for c in readers + writers:
        await c.aclose()
    return stats


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = defaultdict(list)
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                ppid = int(Path(f"/proc/{d}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            kids[ppid].append(int(d))
    return kids


def tree(pid: int) -> list[int]:
    """The process and all its descendants."""
    kids, out, todo = _children(), [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


class Meter:
    """CPU seconds and RSS of named process trees."""

    def __init__(self, roots: dict[str, list[int]]) -> None:
        self.roots = roots
        self.start = self.cpu()

    def cpu(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for name, pids in self.roots.items():
            total = 0.0
            for p in (q for root in pids for q in tree(root)):
                try:
                    f = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                total += sum(int(x) for x in f[11:15]) / TICK  # utime stime cutime cstime
            out[name] = total
        return out

    def used(self) -> dict[str, float]:
        """CPU seconds used by each tree since the meter started."""
        now = self.cpu()
        return {k: now[k] - self.start.get(k, 0.0) for k in now}

    def rss_mb(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for name, pids in self.roots.items():
            total = 0
            for p in (q for root in pids for q in tree(root)):
                try:
                    for line in Path(f"/proc/{p}/status").read_text().splitlines():
                        if line.startswith("VmRSS:"):
                            total += int(line.split()[1])
                except OSError:
                    continue
            out[name] = total / 1024
        return out


def postmaster_pid(data_dir: Path) -> int:
    """The PostgreSQL server's main process, from its postmaster.pid."""
    return int((data_dir / "postmaster.pid").read_text().split()[0])
