"""CPU per JSON intake submission with the per-address limit off, counted in a write of its own, and counted in
the intake's own write (shipped), alternating in rounds, beside GET /api/v1/health in the same run.

Usage: PYTHONPATH=src .venv/bin/python bench/bench_intake_limit.py [ROUNDS]
In process (bench_asgi's ASGI calls, one client address per request), SQLite, understanding in the worker.
"""

import asyncio
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "bench"), str(ROOT)]
import bench_asgi as b  # noqa: E402

folder = tempfile.mkdtemp()
os.environ.update(
    {
        "MINYI_ENV": "test",
        "MINYI_SECRET_KEY": "bench-secret-0123456789abcdef-0123456789abcdef",
        "MINYI_UNDERSTANDING": "worker",
        "MINYI_DATABASE_URL": f"sqlite:///{folder}/asgi.sqlite3",
        "MINYI_NOTIFY_WORKER": "false",
        "MINYI_LOG_LEVEL": "INFO",
    }
)
from tests.support.factories import make_org  # noqa: E402

import minyi.intake.api as api  # noqa: E402
from minyi.app import create_app  # noqa: E402
from minyi.db import get_engine, session_factory  # noqa: E402
from minyi.migrate import upgrade  # noqa: E402
from minyi.ops.logs import configure_logging  # noqa: E402
from minyi.ratelimit.public import check_intake, check_public  # noqa: E402
from minyi.settings import get_settings  # noqa: E402

configure_logging("INFO", stream=open(os.devnull, "w"))  # noqa: SIM115
upgrade(get_engine())
with session_factory(get_engine())() as s:
    make_org(s)
app = create_app()
bodies = [
    json.dumps(
        {
            "kind": "complaint",
            "channel": "web",
            "title": f"路灯不亮{i}",
            "region_code": "990102",
            "body": f"东区中山路{i}号门口的路灯坏了一周，晚上很黑，请尽快修理。",
            "contact": {"name": "李四", "phone": "13800001111"},
        },
        ensure_ascii=False,
    ).encode()
    for i in range(50)
]
modes = {
    "off": (0, check_intake),
    "own write": (20, lambda r, s: check_public(r, s, "submit", field="body")),
    "joined": (20, check_intake),
}


async def run():
    await b._timed(app, 50, "POST", "/api/v1/cases", bodies)
    for r in range(int(sys.argv[1]) if len(sys.argv) > 1 else 6):
        out = []
        for name, (n, fn) in modes.items():
            get_settings().public_submissions_per_hour = n
            api.check_intake = fn
            cpu = await b._timed(app, 300, "POST", "/api/v1/cases", bodies)
            out.append(f"{name} {cpu:.0f} µs")
        trivial = await b._timed(app, 300, "GET", "/api/v1/health")
        print(
            f"round {r + 1}: " + ", ".join(out) + f", health {trivial:.0f} µs, load {os.getloadavg()[0]:.1f}"
        )


asyncio.run(run())
print("uptime:", os.popen("uptime").read().strip())
