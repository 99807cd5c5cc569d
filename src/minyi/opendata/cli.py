"""`minyi open311 key add NAME`, `minyi opendata export DIR`, `publish` and `remask`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

open311_app = typer.Typer(help="Open311 GeoReport v2 client applications.", no_args_is_help=True)
key_app = typer.Typer(help="API keys of client applications.", no_args_is_help=True)
open311_app.add_typer(key_app, name="key")


@key_app.command("add")
def key_add(
    name: str,
    contact: Annotated[str, typer.Option(help="who answers for the application")] = "",
    rate_limit: Annotated[int, typer.Option(help="submissions per hour")] = 60,
) -> None:
    """Register a client application and print its API key (shown this once only)."""
    from minyi.accounts.actor import SYSTEM
    from minyi.db import session_scope
    from minyi.errors import MinyiError
    from minyi.opendata.actions import do_register_client
    from minyi.opendata.schemas import ClientIn

    try:
        data = ClientIn(name=name, contact=contact, rate_limit_per_hour=rate_limit)
    except ValueError as exc:
        typer.echo(f"输入有误 / invalid input: {exc}", err=True)
        raise typer.Exit(2) from exc
    with session_scope() as session:
        try:
            _, key = do_register_client(session, SYSTEM, data)
        except MinyiError as exc:
            typer.echo(f"{exc.message_zh} / {exc.message_en}", err=True)
            raise typer.Exit(2) from exc
    typer.echo(key)


opendata_app = typer.Typer(help="The open-data package (Frictionless, CC BY 4.0).", no_args_is_help=True)


Workers = Annotated[
    int | None, typer.Option(min=1, help="at most this many processes for the cases (default: one per CPU)")
]


@opendata_app.command("export")
def export(directory: Path, workers: Workers = None) -> None:
    """Write the open-data package (datapackage.json and one CSV and Parquet file per resource) into DIRECTORY."""
    from minyi.db import session_scope
    from minyi.opendata.export import export_package

    with session_scope() as session:
        counts = export_package(session, directory, workers=workers)
    typer.echo(json.dumps(counts, ensure_ascii=False))


@opendata_app.command("publish")
def publish(workers: Workers = None) -> None:
    """Regenerate the copy served at /open-data/ (run it periodically, e.g. nightly from cron)."""
    from minyi.db import session_scope
    from minyi.opendata.export import publish as do_publish

    with session_scope() as session:
        counts = do_publish(session, workers=workers)
    typer.echo(json.dumps(counts, ensure_ascii=False))


@opendata_app.command("remask")
def remask(
    everything: Annotated[bool, typer.Option("--all", help="mask every reply again, current or not")] = False,
) -> None:
    """Store the masked reply of every answered case whose stored one is missing or out of date (after an
    upgrade of the detector, or cases loaded by the importer); the export and the public pages then use it."""
    from minyi.accounts.actor import SYSTEM
    from minyi.db import session_scope
    from minyi.opendata.actions import do_remask_replies

    with session_scope() as session:
        n = do_remask_replies(session, SYSTEM, everything=everything)
    typer.echo(json.dumps({"replies": n}, ensure_ascii=False))


def register(app: typer.Typer) -> None:
    """Add `minyi open311` and `minyi opendata` to the command line."""
    app.add_typer(open311_app, name="open311")
    app.add_typer(opendata_app, name="opendata")
