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
from minyi.consultation.polis_io import PolisExport, PolisFormatError, read_polis_export

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
    result = compute_opinion_groups(export.vote_matrix(), seed=seed)
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
