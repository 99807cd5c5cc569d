"""The throwaway PostgreSQL primary and streaming replica that the scale benchmarks run against.

Usage: [MINYI_SCALE_ROOT=DIR] [MINYI_SCALE_PORT=P] python bench/pgscale.py start|replica|stop|status [--root DIR]
The clusters live under --root (default /work/scratch/s15b; never inside the repository): `start` runs initdb and
starts the primary, `replica` takes a `pg_basebackup -R` of it and starts a hot standby, `stop` stops both and
deletes the folder. The primary listens on MINYI_SCALE_PORT (default 55432), the replica on the next port.
The settings are a production-like small server (synchronous_commit on, fsync on) with
memory sized for a 2-core machine shared with others.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.pgserver import find_pg_bin  # noqa: E402

DEFAULT_ROOT = Path(os.environ.get("MINYI_SCALE_ROOT", "/work/scratch/s15b"))
PRIMARY_PORT = int(os.environ.get("MINYI_SCALE_PORT", "55432"))  # another scale database: another port
REPLICA_PORT = PRIMARY_PORT + 1
SETTINGS = ("-c shared_buffers=1GB -c effective_cache_size=4GB -c work_mem=32MB -c maintenance_work_mem=512MB "
            "-c max_wal_size=8GB -c checkpoint_timeout=15min -c max_connections=200 -c wal_level=replica "
            "-c hot_standby_feedback=on -c jit=off -c random_page_cost=1.1")  # fmt: skip


def url(port: int = PRIMARY_PORT) -> str:
    """The SQLAlchemy URL of the primary (or of the replica, with REPLICA_PORT)."""
    return f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"


def _run(root: Path, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    bindir = find_pg_bin()
    if bindir is None:
        raise SystemExit("PostgreSQL server binaries not found")
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, str(bindir / tool), *args], check=check, capture_output=True, text=True)


def _start(root: Path, data: Path, port: int) -> None:
    opts = f"-p {port} -k {root} -h 127.0.0.1 {SETTINGS}"
    _run(root, "pg_ctl", "-D", str(data), "-o", opts, "-l", f"{data}.log", "-w", "-t", "300", "start")


def start(root: Path) -> str:
    """initdb and start the primary; its URL."""
    root.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    data = root / "primary"
    _run(root, "initdb", "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C")
    _start(root, data, PRIMARY_PORT)
    return url()


def replica(root: Path) -> str:
    """A hot standby of the primary, streaming (pg_basebackup -R writes its standby settings); its URL."""
    data = root / "replica"
    _run(root, "pg_basebackup", "-h", "127.0.0.1", "-p", str(PRIMARY_PORT), "-U", "postgres", "-D", str(data),
         "-R", "-X", "stream", "--checkpoint=fast")  # fmt: skip
    _start(root, data, REPLICA_PORT)
    return url(REPLICA_PORT)


def stop(root: Path) -> None:
    """Stop both clusters and delete the folder."""
    for name in ("replica", "primary"):
        if (root / name).exists():
            _run(root, "pg_ctl", "-D", str(root / name), "-m", "fast", "stop", check=False)
    shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("action", choices=["start", "replica", "stop", "status"])
    ap.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    args = ap.parse_args()
    if args.action == "start":
        print(start(args.root))
    elif args.action == "replica":
        print(replica(args.root))
    elif args.action == "stop":
        stop(args.root)
    else:
        for name in ("primary", "replica"):
            print(
                name,
                _run(args.root, "pg_ctl", "-D", str(args.root / name), "status", check=False).stdout.strip(),
            )


if __name__ == "__main__":
    main()
