"""`minyi import FILE`: a hotline export (CSV or XLSX) into cases, from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def import_file(
    file: Path,
    source: Annotated[
        str, typer.Option(help="name of the source system, part of the duplicate key")
    ] = "hotline",
    mapping: Annotated[
        str | None, typer.Option(help='explicit column mapping, e.g. "编号=ref,内容=body"')
    ] = None,
    report: Annotated[Path | None, typer.Option(help="write rejected rows to this CSV")] = None,
    enrich: bool = True,
    quiet: bool = False,
    batch_size: Annotated[int, typer.Option(min=1, help="rows per transaction")] = 2000,
    workers: Annotated[
        int,
        typer.Option(min=1, help="processes reading and checking rows (1: none, the rows are read here)"),
    ] = 1,
) -> None:
    """Import a hotline export (CSV or XLSX); bad rows are reported, re-running creates no duplicates."""
    from minyi.db import get_engine
    from minyi.intake_import.importer import import_file as run_import
    from minyi.intake_import.rows import MappingError

    if not file.exists():
        typer.echo(f"no such file: {file}", err=True)
        raise typer.Exit(2)
    try:
        result = run_import(
            get_engine(),
            file,
            source=source,
            mapping=mapping,
            enrich=enrich,
            progress=not quiet,
            batch_size=batch_size,
            workers=workers,
        )
    except (MappingError, ValueError) as exc:
        typer.echo(f"cannot import {file}: {exc}", err=True)
        raise typer.Exit(2) from exc
    for err in result.errors[:50]:
        typer.echo(f"row {err.row}: {err.reason}", err=True)
    if result.error_count > 50:
        typer.echo(f"... and {result.error_count - 50} more rejected rows (see --report)", err=True)
    if report:
        result.write_errors(report)
    typer.echo(
        f"imported {result.imported}, already present {result.duplicates}, rejected {result.error_count} "
        f"of {result.rows} rows in {result.seconds:.1f}s"
    )
    if result.reports:
        typer.echo(f"{result.reports} misconduct report(s) went to the sealed channel, not imported as cases")
    if result.error_count and not result.imported and not result.duplicates and not result.reports:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add `minyi import` to the command line."""
    app.command("import")(import_file)
