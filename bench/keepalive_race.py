"""The soak's connection errors, reproduced: a server's keep-alive close racing a client's pooled idle connection.

Usage: python bench/keepalive_race.py [--keepalive 1.0] [--clients 24] [--rounds 12] [--busy 0.003]
A trivial ASGI app under uvicorn (in this process) closes idle connections after `--keepalive` seconds. Each
client sends a request, waits close to that long (-10 to +5 ms), and sends again on its pooled connection. Three cases:
1. the client's pool keeps idle connections longer than the server (httpx's default 5 s against uvicorn's 5 s
   scaled down: the soak's case); 2. the same with the client's expiry equal to the server's; 3. the server's
   timeout well above the client's pool expiry (the fix: `MINYI_SERVER_KEEPALIVE_SECONDS` above the proxy's and
   the client's idle time). The first two lose requests to `ReadError`/`RemoteProtocolError`; the third none.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import socket
import threading
import time
from collections import Counter
from typing import Any

import httpx
import uvicorn


async def hello(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"ok"})


def serve(keepalive: float) -> tuple[uvicorn.Server, int]:
    """uvicorn on a free port in a thread (the keep-alive as uvicorn takes it: a number of seconds)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(hello, log_level="error", timeout_keep_alive=keepalive)  # type: ignore[arg-type]
    server = uvicorn.Server(config)
    threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
    while not server.started:
        time.sleep(0.01)
    return server, port


async def hog(block: float) -> None:
    """Keep the client's event loop busy, as the soak's load generator was on saturated cores: between the
    pool's check that an idle connection is still open and the request's bytes leaving, other tasks run."""
    while True:
        end = time.perf_counter() + block
        while time.perf_counter() < end:
            pass
        await asyncio.sleep(0)


async def trial(
    port: int, expiry: float, idle: float, clients: int, rounds: int, busy: float
) -> Counter[str]:
    """`clients` pooled connections, each idle about `idle` seconds between its requests."""
    outcome: Counter[str] = Counter()
    busy_task = asyncio.create_task(hog(busy)) if busy else None
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients, keepalive_expiry=expiry)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits) as client:

        async def one(k: int) -> None:
            rng = random.Random(k)
            await client.get("/")
            for _ in range(rounds):
                await asyncio.sleep(idle + rng.uniform(-0.01, 0.005))
                try:
                    await client.get("/")
                    outcome["ok"] += 1
                except httpx.HTTPError as exc:  # no retry: every lost request counts
                    outcome[type(exc).__name__] += 1

        await asyncio.gather(*(one(k) for k in range(clients)))
    if busy_task:
        busy_task.cancel()
    return outcome


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--keepalive", type=float, default=1.0, help="the server's keep-alive (the soak's: 5 s)")
    ap.add_argument("--clients", type=int, default=24)
    ap.add_argument("--rounds", type=int, default=12)
    ap.add_argument(
        "--busy", type=float, default=0.003, help="seconds the client's loop is blocked at a time"
    )
    args = ap.parse_args()
    k = args.keepalive
    cases = [
        ("client pool expiry 5x the server's keep-alive", k, 5 * k),
        ("client pool expiry equal to the server's", k, k),
        ("server keep-alive 3x the client's pool expiry (the fix)", 3 * k, k),
    ]
    for name, server_keepalive, expiry in cases:
        server, port = serve(server_keepalive)
        try:
            got = asyncio.run(trial(port, expiry, k, args.clients, args.rounds, args.busy))
        finally:
            server.should_exit = True
        lost = sum(v for key, v in got.items() if key != "ok")
        print(
            f"{name}: {sum(got.values())} requests after ~{k:g} s idle, {lost} lost {dict(got)}", flush=True
        )


if __name__ == "__main__":
    main()
