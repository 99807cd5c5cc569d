"""`minyi model retrain | retrain-urgency | history | rollback`: the learning loop on the command line (cron runs them)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from minyi.accounts.actor import SYSTEM, Actor
from minyi.accounts.roles import Role

CLI_ADMIN = "command line (administrator)"


def add_commands(model_app: typer.Typer) -> None:
    """Add the learning-loop commands to `minyi model`."""

    @model_app.command("retrain")
    def retrain_cmd(
        data: Annotated[
            Path | None, typer.Option(help="base labelled CSV; default: the shipped data")
        ] = None,
        folds: Annotated[int, typer.Option(help="inner folds for temperature and threshold")] = 5,
        min_new: Annotated[
            int, typer.Option(help="do nothing unless this many corrections arrived since the last version")
        ] = 0,
    ) -> None:
        """Train a candidate on the base data plus staff corrections; promote it only when not worse."""
        from minyi.db import session_scope
        from minyi.learning.actions import retrain_from_corrections
        from minyi.learning.queries import topic_corrections
        from minyi.nlp import registry
        from minyi.nlp import train as tr
        from minyi.nlp.cli import _default_labelled

        rows = tr.read_messages(data or _default_labelled())
        texts = [tr.message_text(r) for r in rows]
        labels = [(r.get("label") or "").strip() for r in rows]
        with session_scope() as session:
            if min_new:
                last = max((v.get("n_corrections", 0) for v in registry.read()["versions"]), default=0)
                if len({c.case_id for c in topic_corrections(session)}) - last < min_new:
                    typer.echo("too few new corrections; nothing trained")
                    return
            _, record = retrain_from_corrections(session, SYSTEM, texts, labels, inner_folds=folds)
        _echo_record(record)

    @model_app.command("retrain-urgency")
    def retrain_urgency_cmd(
        data: Annotated[
            Path | None,
            typer.Option(help="base messages CSV (their rule verdicts); default: the shipped data"),
        ] = None,
    ) -> None:
        """Train an urgency candidate on the base messages plus staff urgency corrections; promote it only when
        not worse than the active urgency model (or the rules) on held-out corrections."""
        from minyi.db import session_scope
        from minyi.learning.actions import retrain_urgency_from_corrections
        from minyi.nlp import train as tr
        from minyi.nlp.cli import _default_labelled

        texts = [tr.message_text(r) for r in tr.read_messages(data or _default_labelled())]
        with session_scope() as session:
            _, record = retrain_urgency_from_corrections(session, SYSTEM, texts)
        _echo_record(record)

    @model_app.command("history")
    def history_cmd(
        as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
        kind: Annotated[str, typer.Option(help="topic or urgency")] = "topic",
    ) -> None:
        """List the model versions, their held-out figures and which one is active."""
        from minyi.nlp import registry

        if kind not in registry.KINDS:
            raise typer.BadParameter("kind must be topic or urgency")
        data = registry.read(kind)
        if as_json:
            typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
            return
        active = data["active"] or registry.SHIPPED
        typer.echo(f"{'*' if active == registry.SHIPPED else ' '} {registry.SHIPPED}")
        for v in data["versions"]:
            mark = "*" if v["version"] == active else " "
            typer.echo(
                f"{mark} {v['version']}  trained {v['trained_at']}  corrections {v['n_corrections']}  "
                f"macro-F1 {v['held_out']['macro_f1']:.4f} (reference {v['reference']} "
                f"{v['reference_held_out']['macro_f1']:.4f})  {'promoted' if v['promoted'] else 'not promoted'}"
            )

    @model_app.command("routing")
    def routing_cmd() -> None:
        """Department-routing accuracy of the suggestion (all assigned cases, and those staff re-routed)."""
        from minyi.db import session_scope
        from minyi.learning.routing import routing_report

        with session_scope() as session:
            typer.echo(json.dumps(routing_report(session), ensure_ascii=False, indent=2))

    @model_app.command("rollback")
    def rollback_cmd(
        version: Annotated[str, typer.Argument(help='a version from `minyi model history`, or "shipped"')],
        reason: Annotated[str | None, typer.Option(help="why, for the audit record")] = None,
        kind: Annotated[str, typer.Option(help="topic or urgency")] = "topic",
    ) -> None:
        """Make an earlier version (or the shipped model) the active one again."""
        from minyi.db import session_scope
        from minyi.errors import MinyiError
        from minyi.learning.actions import do_rollback_model

        with session_scope() as session:
            try:
                do_rollback_model(
                    session, Actor(Role.admin, CLI_ADMIN), version=version, reason=reason, kind=kind
                )
            except MinyiError as exc:
                raise typer.BadParameter(str(exc)) from exc
        typer.echo(f"active {kind} model: {version}")


def _echo_record(record: dict) -> None:
    verdict = "promoted" if record["promoted"] else "kept the current model"
    typer.echo(
        f"{record['version']}: macro-F1 {record['held_out']['macro_f1']:.4f} on {record['held_out']['n']} "
        f"held-out rows vs {record['reference']} {record['reference_held_out']['macro_f1']:.4f}; {verdict}"
    )
