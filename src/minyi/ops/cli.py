"""The operations commands: `minyi backup FILE` and `minyi restore FILE`."""

from __future__ import annotations

import tarfile
from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    """Add the operations commands to the `minyi` command line."""

    @app.command()
    def backup(file: Path) -> None:
        """Copy the whole database to FILE while it serves (SQLite online backup; pg_dump on PostgreSQL)."""
        from minyi.db import get_engine
        from minyi.ops.backup import BackupError
        from minyi.ops.backup import backup as run_backup
        from minyi.ops.backup_files import backup_files, files_archive

        try:
            run_backup(get_engine(), file)
            files = backup_files(file)  # after the snapshot: every file it refers to is already stored
        except (BackupError, OSError) as exc:
            typer.echo(f"no backup: {exc}", err=True)
            raise typer.Exit(2) from exc
        typer.echo(f"backed up to {file} ({file.stat().st_size} bytes) and {files} attachment file(s) to "
                   f"{files_archive(file)}: keep both")  # fmt: skip

    @app.command()
    def restore(file: Path) -> None:
        """Load FILE (from `minyi backup`) into the configured, empty database; then run `minyi audit verify`."""
        from minyi.db import get_engine
        from minyi.ops.backup import BackupError
        from minyi.ops.backup import restore as run_restore
        from minyi.ops.backup_files import restore_files

        try:
            run_restore(get_engine(), file)
        except BackupError as exc:
            typer.echo(f"not restored: {exc}", err=True)
            raise typer.Exit(2) from exc
        try:
            files = restore_files(file)
        except (ValueError, OSError, tarfile.TarError) as exc:
            typer.echo(f"database restored, attachment files not: {exc}", err=True)
            raise typer.Exit(1) from exc
        typer.echo(f"restored from {file} with {files} attachment file(s); check it with: minyi audit verify")
