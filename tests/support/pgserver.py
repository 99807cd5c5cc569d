"""A throwaway PostgreSQL cluster started from the installed server binaries (root-safe for CI)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def find_pg_bin() -> Path | None:
    """The bin folder of the newest installed PostgreSQL server (or MINYI_PG_BIN)."""
    if os.environ.get("MINYI_PG_BIN"):
        return Path(os.environ["MINYI_PG_BIN"])
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    exe = shutil.which("pg_ctl")
    return Path(exe).resolve().parent if exe else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Servers:
    """Throwaway clusters under one temporary folder, run as the postgres user when we are root."""

    def __init__(self) -> None:
        bindir = find_pg_bin()
        if bindir is None:
            raise RuntimeError("PostgreSQL server binaries not found (apt-get install postgresql)")
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="minyi-pg-"))
        self.sock = self.root / "sock"
        self.sock.mkdir()
        self.prefix: list[str] = []
        if os.geteuid() == 0:  # initdb refuses to run as root: run the server as the postgres user
            shutil.chown(self.root, "postgres")
            shutil.chown(self.sock, "postgres")
            self.prefix = ["runuser", "-u", "postgres", "--"]
        self.started: list[Path] = []

    def run(self, tool: str, *args: str) -> None:
        subprocess.run([*self.prefix, str(self.bindir / tool), *args], check=True, capture_output=True)

    def start(self, data: Path) -> str:
        for attempt in range(3):  # another process (a parallel test worker) may take the free port first
            port = _free_port()
            opts = (f"-p {port} -k {self.sock} -h 127.0.0.1 -c fsync=off -c full_page_writes=off "
                    "-c synchronous_commit=off")  # fmt: skip
            try:
                self.run("pg_ctl", "-D", str(data), "-o", opts, "-l", f"{data}.log", "-w", "start")
                break
            except subprocess.CalledProcessError:
                if attempt == 2:
                    raise
        self.started.append(data)
        return f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"

    def primary(self) -> str:
        data = self.root / "data"
        self.run("initdb", "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync",
                 "--locale=C")  # fmt: skip
        return self.start(data)

    def replica_of(self, url: str) -> str:
        """A hot standby streaming from the cluster at `url` (pg_basebackup -R writes its standby settings)."""
        data, port = self.root / "replica", url.rsplit(":", 1)[1].split("/")[0]
        self.run("pg_basebackup", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-D", str(data), "-R",
                 "-X", "stream", "--no-sync")  # fmt: skip
        return self.start(data)

    def stop_all(self) -> None:
        for data in reversed(self.started):
            subprocess.run([*self.prefix, str(self.bindir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                            "stop"], capture_output=True)  # fmt: skip
        shutil.rmtree(self.root, ignore_errors=True)


_RUNNING: dict[str, _Servers] = {}  # the URL of each running primary: its servers (for start_replica)


@contextmanager
def pg_cluster() -> Iterator[str]:
    """Start a cluster on a free loopback port; yield its SQLAlchemy URL; stop and delete it afterwards."""
    servers = _Servers()
    try:
        url = servers.primary()
        _RUNNING[url] = servers
        yield url
    finally:
        _RUNNING.pop(url, None)
        servers.stop_all()


def start_replica(url: str) -> str:
    """A streaming hot standby of the running cluster at `url` (stopped with it): its URL."""
    return _RUNNING[url].replica_of(url)
