"""`minyi regions load FILE`: load a city's boundaries (GeoJSON keyed by GB/T 2260 region codes), validated."""

from __future__ import annotations

from pathlib import Path

import typer

regions_app = typer.Typer(help="The map's region boundaries.", no_args_is_help=True)


@regions_app.command("load")
def regions_load(file: Path) -> None:
    """Check FILE (valid geometry, every region code known) and load it; nothing is loaded if any feature fails."""
    from minyi.accounts.actor import Actor
    from minyi.accounts.roles import Role
    from minyi.db import session_scope
    from minyi.errors import MinyiError
    from minyi.regionmap.actions import do_load_region_shapes

    try:
        raw = file.read_bytes()
        with session_scope() as session:
            n = do_load_region_shapes(session, Actor(Role.admin, "command line"), raw)
    except (MinyiError, OSError) as exc:
        message = f"{exc.message_zh} / {exc.message_en}" if isinstance(exc, MinyiError) else str(exc)
        typer.echo(message, err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"loaded {n} boundaries")


def register(app: typer.Typer) -> None:
    """Add `minyi regions` to the command line."""
    app.add_typer(regions_app, name="regions")
