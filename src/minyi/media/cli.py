"""`minyi media pull [--url URL]` and `minyi media add NAME URL`: feeds into the intake queue."""

from __future__ import annotations

from typing import Annotated

import typer

media_app = typer.Typer(help="Media feeds: RSS/Atom items into the intake queue.", no_args_is_help=True)


@media_app.command("add")
def add(name: str, url: str) -> None:
    """Register a feed (as the system administrator)."""
    from minyi.accounts.actor import Actor
    from minyi.accounts.roles import Role
    from minyi.db import session_scope
    from minyi.media.actions import do_register_feed

    with session_scope() as session:
        feed = do_register_feed(session, Actor(Role.admin, "cli"), name=name, url=url)
        typer.echo(f"feed {feed.id} registered: {feed.url}")


@media_app.command("pull")
def pull(
    url: Annotated[
        str | None, typer.Option(help="read this one feed (file:// included) instead of the registered ones")
    ] = None,
    name: Annotated[str, typer.Option(help="source name for --url")] = "媒体",
) -> None:
    """Read the feeds; items that describe a public demand become candidates (repeats of cases marked)."""
    if url is None:  # every active feed: the periodic job, with each feed's last attempt and error kept
        from minyi.media.job import pull_feeds

        done = pull_feeds()
        typer.echo(
            f"feeds {done.feeds}, added {done.added}, failed {len(done.failed)} {done.failed or ''}".strip()
        )
        if done.failed:
            raise typer.Exit(1)
        return
    from minyi.accounts.actor import SYSTEM
    from minyi.db import session_scope
    from minyi.errors import MinyiError
    from minyi.media.actions import do_pull
    from minyi.media.feeds import read_feed

    with session_scope() as session:
        try:
            report = do_pull(session, SYSTEM, read_feed(url), source_name=name)
        except MinyiError as exc:
            typer.echo(f"{url}: {exc.message_en}", err=True)
            raise typer.Exit(1) from None
        typer.echo(f"{url}: read {report.read}, added {report.added}, not a demand {report.not_demand}, "
                   f"already seen {report.seen}")  # fmt: skip
