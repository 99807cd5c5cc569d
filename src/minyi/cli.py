"""The `minyi` command line: serve, migrate, load demo data, import, sweep, verify the record, add users, doctor."""

from __future__ import annotations

import json
import time
from typing import Annotated

import typer

import minyi.models  # noqa: F401 - every table registered before any command runs

app = typer.Typer(
    help="minyi 民意: public demands, answered on time and on the record.", no_args_is_help=True
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
user_app = typer.Typer(help="Staff accounts.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")


@app.command()
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    reload: bool = False,
) -> None:
    """Serve the platform (API, portal and workbench)."""
    import uvicorn

    from minyi.settings import WeakSecret, get_settings, require_strong_secret

    try:
        require_strong_secret(get_settings())
    except WeakSecret as exc:
        typer.echo(f"refusing to serve: {exc}", err=True)
        raise typer.Exit(2) from exc

    settings = get_settings()
    # behind the proxies named in MINYI_FORWARDED_ALLOW_IPS, the client is the one their X-Forwarded-For names:
    # else every citizen would share the proxy's address, and its rate limits. The keep-alive outlives the
    # proxy's and the clients' idle connections, so that they, not the server, close them (no request is sent
    # on a connection the server is closing)
    uvicorn.run("minyi.asgi:app", host=host, port=port, workers=workers, reload=reload, log_level="warning",
                access_log=False, proxy_headers=True, forwarded_allow_ips=settings.forwarded_allow_ips,
                timeout_keep_alive=settings.server_keepalive_seconds,
                timeout_graceful_shutdown=settings.server_graceful_shutdown_seconds)  # fmt: skip


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    from minyi.db import get_engine
    from minyi.migrate import upgrade

    upgrade(get_engine(), revision)
    typer.echo(f"database at {revision}")


@db_app.command("reindex")
def db_reindex() -> None:
    """Mask every case's public text afresh and rebuild the public word search from it (after the personal-data
    detector improves, or after loading cases outside minyi)."""
    from minyi.accounts.actor import SYSTEM
    from minyi.cases.search import reindex
    from minyi.db import session_scope
    from minyi.uow import write

    with session_scope() as session, write(session, SYSTEM) as tx:
        n = reindex(session)
        tx.record("search.reindex", "search_index", None, {"cases": n})
    typer.echo(f"indexed {n} case(s)")


@db_app.command("downgrade")
def db_downgrade(revision: str = "base") -> None:
    """Take migrations back to REVISION."""
    from minyi.db import get_engine
    from minyi.migrate import downgrade

    downgrade(get_engine(), revision)
    typer.echo(f"database at {revision}")


@app.command()
def demo(
    cases: int = 300,
    seed: int = 2026,
    if_empty: Annotated[bool, typer.Option(help="do nothing when the database already has cases")] = False,
) -> None:
    """Load the demo city: districts, departments, staff, routing rules and cases in every state."""
    from sqlalchemy import func, select

    from minyi.cases.models import Case
    from minyi.db import get_engine, session_scope
    from minyi.demo.load import load_demo

    if if_empty:
        with session_scope() as session:
            if session.scalar(select(func.count()).select_from(Case)):
                typer.echo("demo data already present")
                return
    summary = load_demo(get_engine(), n_cases=cases, seed=seed)
    typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))


@app.command()
def sweep() -> None:
    """Run the periodic work once: the ladders of cases, reports and suggestions, consultations' dates, the media feeds."""
    from minyi.jobs import run_periodic

    typer.echo(json.dumps(run_periodic(), ensure_ascii=False))


@app.command()
def doctor() -> None:
    """Check the installation: database migrated, secret set, holiday calendar, model files (non-zero on fail)."""
    from minyi.db import get_engine, utcnow
    from minyi.doctor import run_checks
    from minyi.settings import get_settings

    checks = run_checks(get_engine, get_settings(), utcnow())
    for c in checks:
        typer.echo(f"{c.status:<4}  {c.name:<9} {c.detail}")
    if any(c.status == "fail" for c in checks):
        raise typer.Exit(1)


@app.command()
def watch(
    every: Annotated[int, typer.Option(help="sweep again every this many seconds (0: once)", min=0)] = 0,
) -> None:
    """Early warning: detect surges over the recent cases and keep each new alert once (run it hourly, or keep it
    running with --every 3600: then each sweep reads only the cases that are new since the last one)."""
    from minyi.alerts.actions import do_detect_alerts
    from minyi.db import get_engine

    while True:
        new = do_detect_alerts(get_engine())
        for a in new:
            typer.echo(
                f"预警 {a.kind} {a.series}: {a.count} 件 (基线 {a.expected:.1f}, ×{a.ratio:.1f}, p={a.p_value:.1e})"
            )
        typer.echo(f"{len(new)} new alert(s)")
        if not every:
            return
        time.sleep(every)


@app.command()
def enrich(
    follow: Annotated[bool, typer.Option(help="keep running, picking up new cases every second")] = False,
) -> None:
    """Understand every case still waiting for it (deferred or worker understanding, or imports); with --follow
    keep going: on PostgreSQL work the job queue (understanding and notification jobs; any number of workers),
    on SQLite poll every second."""
    from minyi.db import get_engine
    from minyi.understanding.worker import catch_up, follow_forever

    typer.echo(f"understood {catch_up(get_engine())} case(s)")
    if follow:
        follow_forever(get_engine(), typer.echo)


@user_app.command("add")
def user_add(
    username: str,
    role: Annotated[
        str,
        typer.Option(
            help="intake | handler | dept_head | supervisor | admin | inspector (纪检监察, console only)"
        ),
    ],
    department: Annotated[str | None, typer.Option(help="department code, for department roles")] = None,
    name: str | None = None,
    clearance: bool = False,
    password: Annotated[
        str | None, typer.Option(help="read from MINYI_PASSWORD or prompted if omitted")
    ] = None,
) -> None:
    """Add a member of staff."""
    import os

    from sqlalchemy import select

    from minyi.accounts.actions import do_create_user
    from minyi.accounts.actor import SYSTEM
    from minyi.db import session_scope
    from minyi.departments.models import Department
    from minyi.errors import MinyiError

    password = password or os.environ.get("MINYI_PASSWORD") or typer.prompt("password", hide_input=True)
    with session_scope() as session:
        dept_id = None
        if department:
            dept_id = session.scalar(select(Department.id).where(Department.code == department))
            if dept_id is None:
                typer.echo(f"unknown department {department}", err=True)
                raise typer.Exit(2)
        try:
            user = do_create_user(session, SYSTEM, username=username, password=password, role=role, display_name=name,
                                  department_id=dept_id, clearance=clearance)  # fmt: skip
        except MinyiError as exc:
            typer.echo(f"{exc.message_zh} / {exc.message_en}", err=True)
            raise typer.Exit(2) from exc
        typer.echo(f"user {user.username} ({user.role}) created")


def _register_slices() -> None:
    from minyi.consultation.cli import register as register_opinions
    from minyi.insight.cli import register as register_insight
    from minyi.learning.cli import add_commands as add_learning_commands
    from minyi.nlp.cli import register as register_nlp

    register_nlp(app, extend_model=add_learning_commands)
    register_insight(app)
    register_opinions(app)

    from minyi.audit.cli import register as register_audit
    from minyi.deadlines.cli import register as register_deadlines

    register_deadlines(app)
    register_audit(app)

    from minyi.notifications.cli import register as register_notifications

    register_notifications(app)

    from minyi.regionmap.cli import register as register_map

    register_map(app)

    from minyi.media.cli import media_app
    from minyi.organisations.cli import org_app

    app.add_typer(media_app, name="media")
    app.add_typer(org_app, name="org")

    from minyi.intake_import.cli import register as register_import
    from minyi.ops.cli import register as register_ops

    register_import(app)  # import

    register_ops(app)  # backup, restore

    from minyi.annual.cli import register as register_annual
    from minyi.opendata.cli import register as register_opendata

    register_opendata(app)
    register_annual(app)  # minyi report annual | department

    from minyi.portal.cli import register as register_scoreboard

    register_scoreboard(app)  # minyi scoreboard rebuild

    from minyi.cases.exports import register_database_source

    register_database_source()  # `minyi hot` and friends read the database when given no --input


_register_slices()


def main() -> None:
    """Entry point of the `minyi` script."""
    app(prog_name="minyi")


if __name__ == "__main__":
    main()
