"""`minyi scoreboard rebuild`: recompute the scoreboard's rollup per department and month from the record."""

from __future__ import annotations

import typer

scoreboard_app = typer.Typer(help="The public scoreboard's rollup.", no_args_is_help=True)


@scoreboard_app.command("rebuild")
def scoreboard_rebuild() -> None:
    """Recompute every month's figures from the cases (idempotent: run it again and nothing changes)."""
    from minyi.accounts.actor import Actor
    from minyi.accounts.roles import Role
    from minyi.db import session_scope
    from minyi.portal.actions import do_rebuild_scoreboard

    with session_scope() as session:
        n = do_rebuild_scoreboard(session, Actor(Role.admin, "command line"))
    typer.echo(f"scoreboard rebuilt from {n} cases")


def register(app: typer.Typer) -> None:
    """Add `minyi scoreboard` to the command line."""
    app.add_typer(scoreboard_app, name="scoreboard")
