"""`minyi audit verify` and `minyi audit checkpoint`: the tamper-evident record from the command line."""

from __future__ import annotations

import json
from typing import Annotated

import typer

audit_app = typer.Typer(help="The tamper-evident record.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add `minyi audit …` to the main command."""
    app.add_typer(audit_app, name="audit")


@audit_app.command("verify")
def audit_verify(
    case_id: Annotated[int | None, typer.Option(help="check this case's chain and state only")] = None,
    root: Annotated[
        str | None, typer.Option(help="a published checkpoint root the record must still give")
    ] = None,
) -> None:
    """Check every case chain and the state it implies, the audit entries and the checkpoints; name each break."""
    from minyi.audit.verify import RecordReport, check_record, verify_all
    from minyi.db import session_scope

    with session_scope() as session:
        if case_id is not None:
            report = RecordReport([f"case {p.case_id} event {p.position}: {p.problem}"
                                   for p in verify_all(session, case_id)])  # fmt: skip
        else:
            report = check_record(session, root)
    for line in report.problems:
        typer.echo(line)
    if report.warning:
        typer.echo(f"warning: {report.warning}", err=True)
    if report.problems:
        typer.echo(f"{len(report.problems)} problem(s) in the record", err=True)
        raise typer.Exit(1)
    typer.echo("audit record intact")


@audit_app.command("checkpoint")
def audit_checkpoint() -> None:
    """Seal a checkpoint over every chain head and print it (root, time, counts) for publication."""
    from minyi.audit.checkpoint import RecordTampered, do_seal_checkpoint
    from minyi.db import session_scope

    with session_scope() as session:
        try:
            cp = do_seal_checkpoint(session)
            assert cp is not None
        except RecordTampered as exc:
            typer.echo(f"not sealed: {exc} (run `minyi audit verify`)", err=True)
            raise typer.Exit(1) from exc
    typer.echo(json.dumps({"checkpoint": cp.id, "root": cp.root, "at": cp.at.isoformat(), "cases": cp.case_count,
                           "events": cp.event_count, "changed": cp.changed_count, "audit_entries": cp.entry_seq}))  # fmt: skip
