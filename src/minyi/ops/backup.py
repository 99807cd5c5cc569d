"""`minyi backup FILE` and `minyi restore FILE`: SQLite's online backup API, pg_dump / pg_restore on PostgreSQL.

A backup is taken while the platform serves (SQLite copies a consistent snapshot page by page; pg_dump reads one
snapshot). A restore goes only into an empty database, so it can never mix two records; run `minyi audit verify`
after it (the restored chains must still verify under the same MINYI_SECRET_KEY).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import Engine, inspect
from sqlalchemy.engine import URL

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"


class BackupError(RuntimeError):
    """The backup or restore could not be made; the message says why (zh / en)."""


def _sqlite_path(engine: Engine) -> str:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError("内存数据库无法备份 / an in-memory database cannot be backed up")
    return database


def _pg_tool(name: str) -> str:
    """The PostgreSQL client program (MINYI_PG_BIN first, then PATH)."""
    folder = os.environ.get("MINYI_PG_BIN")
    exe = str(Path(folder) / name) if folder else shutil.which(name)
    if not exe or not Path(exe).exists():
        raise BackupError(
            f"找不到 {name} / {name} not found: install the PostgreSQL client or set MINYI_PG_BIN"
        )
    return exe


def _pg_target(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password, and an environment carrying it (never on the command line)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return plain, env


def _run(args: list[str], env: dict[str, str] | None = None) -> None:
    done = subprocess.run(args, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} 失败 / failed: {done.stderr.strip()[-2000:]}")


def backup(engine: Engine, file: Path) -> None:
    """Write a consistent copy of the whole database to `file` (replaced if present)."""
    file.parent.mkdir(parents=True, exist_ok=True)
    partial = file.with_name(file.name + ".partial")
    partial.unlink(missing_ok=True)
    if engine.dialect.name == "sqlite":
        source = sqlite3.connect(_sqlite_path(engine))
        target = sqlite3.connect(partial)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    elif engine.dialect.name == "postgresql":
        conninfo, env = _pg_target(engine.url)
        _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}",
              f"--dbname={conninfo}"], env)  # fmt: skip
    else:
        raise BackupError(f"不支持的数据库 / unsupported database: {engine.dialect.name}")
    partial.replace(file)  # a backup file is always whole: an interrupted run leaves only *.partial


def is_empty(engine: Engine) -> bool:
    """True when the database holds no tables at all (a restore goes nowhere else)."""
    return not inspect(engine).get_table_names()


def restore(engine: Engine, file: Path) -> None:
    """Load `file` (made by `backup` for the same kind of database) into the empty database of `engine`."""
    if not file.is_file():
        raise BackupError(f"备份文件不存在 / no such backup file: {file}")
    head = file.open("rb").read(16)
    kind = engine.dialect.name
    if kind == "sqlite" and not head.startswith(SQLITE_MAGIC):
        raise BackupError(
            "这不是 SQLite 备份 / not a SQLite backup (restore it into the database it came from)"
        )
    if kind == "postgresql" and not head.startswith(PG_CUSTOM_MAGIC):
        raise BackupError("这不是 PostgreSQL 备份 / not a pg_dump custom-format backup")
    if not is_empty(engine):
        raise BackupError(
            "目标数据库不是空的 / the target database is not empty: restore only into a new database"
        )
    engine.dispose()  # no pooled connection may hold the file or the database open
    if kind == "sqlite":
        source = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
        target = sqlite3.connect(_sqlite_path(engine))
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    elif kind == "postgresql":
        conninfo, env = _pg_target(engine.url)
        _run([_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
              f"--dbname={conninfo}", str(file)], env)  # fmt: skip
    else:
        raise BackupError(f"不支持的数据库 / unsupported database: {kind}")
