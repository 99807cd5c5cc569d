"""`minyi notify`: send the outbox (cron), write the daily digest, set a member of staff's contact."""

from __future__ import annotations

import typer

notify_app = typer.Typer(
    help="Notifications: the outbox, the daily digest, staff contacts.", no_args_is_help=True
)


@notify_app.command("send")
def notify_send() -> None:
    """Send every notification that is due (by hand; the server thread or the job queue send them)."""
    from minyi.notifications.sender import send_due

    report = send_due()
    typer.echo(f"sent {report.sent}, failed {report.failed} (dead {report.dead})")
    for error in report.errors[:10]:
        typer.echo(f"  {error}", err=True)


@notify_app.command("requeue")
def notify_requeue() -> None:
    """After configuring a channel: send what was recorded as "not sent (no channel configured)" (the last 30
    days; the worker and `notify send` do this too). Each message goes once: the same outbox rows are sent."""
    from minyi.db import session_scope
    from minyi.notifications.channels import configured_channels
    from minyi.notifications.sender import requeue_unconfigured, send_due

    with session_scope() as session:
        n = requeue_unconfigured(session, configured_channels())
    report = send_due()
    typer.echo(f"requeued {n}; sent {report.sent}, failed {report.failed}")


@notify_app.command("digest")
def notify_digest(
    workdays: int = typer.Option(3, min=1, max=20, help="what falls due within this many"),
) -> None:
    """Write today's digest for each department's staff (once a day; a second run adds nothing), then send."""
    from minyi.db import session_scope
    from minyi.notifications.digest import do_digest
    from minyi.notifications.sender import send_due

    with session_scope() as session:
        n = do_digest(session, workdays=workdays)
    report = send_due()
    typer.echo(f"digest: {n} notification(s) written; sent {report.sent}, failed {report.failed}")


@notify_app.command("contact")
def notify_contact(
    username: str,
    email: str | None = None,
    phone: str | None = None,
    wechat: str | None = typer.Option(None, help="WeChat openid"),
    notify_by: str | None = typer.Option(None, help="email | sms | wechat"),
    language: str = "zh",
) -> None:
    """Set how a member of staff is told of assignments, returns, notices and the digest."""
    from pydantic import ValidationError
    from sqlalchemy import select

    from minyi.accounts.actor import Actor
    from minyi.accounts.models import User
    from minyi.accounts.roles import Role
    from minyi.db import session_scope
    from minyi.errors import MinyiError
    from minyi.notifications.actions import do_set_staff_contact
    from minyi.notifications.schemas import StaffContactIn

    try:
        body = StaffContactIn.model_validate({"email": email, "phone": phone, "wechat_openid": wechat,
                                              "notify_by": notify_by, "language": language})  # fmt: skip
        with session_scope() as session:
            user_id = session.scalar(select(User.id).where(User.username == username))
            if user_id is None:
                raise typer.BadParameter(f"no such user: {username}")
            do_set_staff_contact(session, Actor(Role.admin, "command line"), user_id, body)
    except (MinyiError, ValidationError) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"contact of {username} set")


def register(app: typer.Typer) -> None:
    """Add `minyi notify` to the command line."""
    app.add_typer(notify_app, name="notify")
