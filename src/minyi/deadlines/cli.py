"""`minyi calendar`: see which years the holiday calendar covers and load a year's official schedule."""

from __future__ import annotations

from pathlib import Path

import typer

calendar_app = typer.Typer(
    help="The working-day calendar (holidays and make-up working days).", no_args_is_help=True
)

CLI_ADMIN_LABEL = "command line"


@calendar_app.command("load")
def calendar_load(
    file: Path, note: str = typer.Option("官方节假日安排", help="kept beside each day")
) -> None:
    """Load a year's official schedule ({"holidays": [...], "workdays": [...]}) as administrators' days."""
    from minyi.accounts.actor import Actor
    from minyi.accounts.roles import Role
    from minyi.db import session_scope
    from minyi.deadlines.actions import do_load_schedule, load_schedule_file
    from minyi.errors import MinyiError

    try:
        schedule = load_schedule_file(file)
        with session_scope() as session:
            n = do_load_schedule(session, Actor(Role.admin, CLI_ADMIN_LABEL), schedule, note)
    except (MinyiError, OSError) as exc:
        message = f"{exc.message_zh} / {exc.message_en}" if isinstance(exc, MinyiError) else str(exc)
        typer.echo(message, err=True)
        raise typer.Exit(2) from exc
    years = sorted({d.year for d in schedule.extra_holidays | schedule.extra_workdays})
    typer.echo(f"loaded {n} day(s) for {', '.join(map(str, years))}")


@calendar_app.command("years")
def calendar_years() -> None:
    """The years whose official schedule is known (library, override file and administrators' days)."""
    from minyi.db import session_scope
    from minyi.deadlines.clock import calendar

    with session_scope() as session:
        years = sorted(calendar(session).covered_years())
    typer.echo(
        f"{years[0]}–{years[-1]}"
        if years == list(range(years[0], years[-1] + 1))
        else ", ".join(map(str, years))
    )


def register(app: typer.Typer) -> None:
    """Add `minyi calendar` to the command line."""
    app.add_typer(calendar_app, name="calendar")
