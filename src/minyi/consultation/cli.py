"""`minyi opinions groups`: opinion groups of a Polis export, for analysts and for comparison with Polis."""

from __future__ import annotations

import csv
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from minyi.consultation.opinion_groups import OpinionGroups, compute_opinion_groups
from minyi.consultation.polis_io import (
    PolisExport,
    PolisFormatError,
    ever_counted,
    read_polis_export,
    write_polis_export,
)

opinions_app = typer.Typer(help="Opinion groups of consultations (Polis-compatible).", no_args_is_help=True)


class Fmt(StrEnum):
    """Output formats."""

    csv = "csv"
    json = "json"


@opinions_app.command("groups")
def groups(
    input: Annotated[Path, typer.Option("--input", "-i", help="a Polis export directory")],
    fmt: Annotated[
        Fmt, typer.Option("--format", help="csv: participant,group; json: groups and statements")
    ] = Fmt.csv,
    seed: Annotated[int, typer.Option(help="seed of the k-means restarts")] = 0,
) -> None:
    """Print every participant's opinion group (empty for those who voted too little)."""
    try:
        export = read_polis_export(input)
    except PolisFormatError as exc:
        typer.echo(f"{exc.message_zh} / {exc.message_en}", err=True)
        raise typer.Exit(2) from exc
    # counted as the slice counts (once counted, always counted, replayed over the votes' times)
    result = compute_opinion_groups(export.vote_matrix(), already_counted=ever_counted(export), seed=seed)
    if fmt is Fmt.csv:
        out = csv.writer(sys.stdout, lineterminator="\n")
        out.writerow(["participant", "group"])
        for participant, group in result.group_of.items():
            out.writerow([participant, "" if group is None else group])
    else:
        typer.echo(json.dumps(summary(export, result), ensure_ascii=False, indent=2))


def summary(export: PolisExport, result: OpinionGroups) -> dict[str, Any]:
    """The groups with their statements' text, as plain data."""
    text = {c.id: c.body for c in export.comments}

    def statement(index: int) -> dict[str, str]:
        sid = result.statements[index]
        return {"id": sid, "text": text.get(sid, "")}

    return {
        "groups": [
            {"id": g.id, "size": g.size, "representative": [
                {**statement(r.statement), "direction": r.direction, "p": round(r.p_success, 3),
                 "repness": round(r.repness, 3)} for r in g.representative]}  # fmt: skip
            for g in result.groups
        ],
        "ungrouped": sum(1 for g in result.group_of.values() if g is None),
        "consensus": [{**statement(s.statement), "direction": s.direction,
                       "p_agree_by_group": [round(p, 3) for p in s.p_agree_by_group]} for s in result.consensus],
        "divisive": [{**statement(s.statement), "p_agree_by_group": [round(p, 3) for p in s.p_agree_by_group]}
                     for s in result.divisive],
        "silhouettes": {str(k): round(v, 4) for k, v in result.silhouettes.items()},
    }  # fmt: skip


def register(app: typer.Typer) -> None:
    """Add `minyi opinions …` to the main command."""
    app.add_typer(opinions_app, name="opinions")


@opinions_app.command("import")
def import_polis(
    directory: Annotated[Path, typer.Argument(help="a Polis export directory")],
    title: Annotated[
        str | None, typer.Option(help="title of the consultation (default: the directory's name)")
    ] = None,
) -> None:
    """Load a Polis export as a closed consultation, and compute its opinion map."""
    from minyi.accounts.actor import SYSTEM
    from minyi.consultation.polis_db import do_import_polis
    from minyi.consultation.recompute import recompute
    from minyi.db import session_scope

    try:
        export = read_polis_export(directory)
    except PolisFormatError as exc:
        typer.echo(f"{exc.message_zh} / {exc.message_en}", err=True)
        raise typer.Exit(2) from exc
    with session_scope() as session:
        c = do_import_polis(session, SYSTEM, export, title=title or directory.name)
        stored = recompute(session, c.id)
        typer.echo(f"consultation {c.id}: {len(export.comments)} statements, {stored.data['votes']} votes, "
                   f"{len(stored.data['groups'])} opinion groups")  # fmt: skip


@opinions_app.command("export")
def export_polis(
    consultation_id: Annotated[int, typer.Argument(help="the consultation's id")],
    directory: Annotated[
        Path, typer.Argument(help="where to write comments.csv, votes.csv, participants-votes.csv")
    ],
) -> None:
    """Write a consultation's statements and votes as a Polis export, with the groups computed now."""
    from minyi.consultation.polis_db import read_consultation_export
    from minyi.db import session_scope
    from minyi.errors import MinyiError

    with session_scope() as session:
        try:
            export = read_consultation_export(session, consultation_id)
        except MinyiError as exc:
            typer.echo(f"{exc.message_zh} / {exc.message_en}", err=True)
            raise typer.Exit(2) from exc
    result = compute_opinion_groups(export.vote_matrix(), already_counted=ever_counted(export))
    write_polis_export(export, directory, groups=result.group_of)
    typer.echo(f"wrote {directory}")


@opinions_app.command("recompute")
def recompute_maps(
    follow: Annotated[bool, typer.Option(help="keep going, every few seconds")] = False,
    every: Annotated[float, typer.Option(help="seconds between rounds with --follow")] = 5.0,
) -> None:
    """Recompute the opinion maps of consultations whose votes changed since their map."""
    import time

    from minyi.consultation.recompute import recompute, stale_consultations
    from minyi.db import session_scope

    while True:
        with session_scope() as session:
            for cid in stale_consultations(session):
                recompute(session, cid)
                typer.echo(f"consultation {cid}: opinion map recomputed")
        if not follow:
            return
        time.sleep(every)


@opinions_app.command("verify")
def verify_votes_cmd() -> None:
    """Check every consultation's record of votes against its head and its last seal (non-zero on a break)."""
    from minyi.consultation.vote_chain import verify_all_votes
    from minyi.db import session_scope

    with session_scope() as session:
        problems = list(verify_all_votes(session))
    for line in problems:
        typer.echo(line)
    if problems:
        raise typer.Exit(1)
    typer.echo("votes intact")
