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
    from minyi.accounts.actor import SYSTEM
    from minyi.db import session_scope
    from minyi.errors import MinyiError
    from minyi.media.actions import do_pull
    from minyi.media.feeds import read_feed
    from minyi.media.queries import active_feeds
    from minyi.uow import end_read

    with session_scope() as session:
        feeds = [(None, name, url)] if url else [(f.id, f.name, f.url) for f in active_feeds(session)]
        end_read(session)
        for feed_id, source, address in feeds:
            try:
                report = do_pull(session, SYSTEM, read_feed(address), source_name=source, feed_id=feed_id)
            except MinyiError as exc:
                typer.echo(f"{address}: {exc.message_en}", err=True)
                raise typer.Exit(1) from None
            typer.echo(f"{address}: read {report.read}, added {report.added}, not a demand {report.not_demand}, "
                       f"already seen {report.seen}")  # fmt: skip
