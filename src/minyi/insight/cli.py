"""`minyi hot`, `minyi alerts`, `minyi replies`, `minyi brief`: the insight slice on the command line."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from minyi.insight.readers import CHINA
from minyi.insight.sources import load_messages, load_outcomes

InputOpt = Annotated[
    Path | None, typer.Option("--input", "-i", help="CSV file (teddy2020 layout); default: database")
]


class Fmt(StrEnum):
    """Output formats."""

    text = "text"
    json = "json"
    csv = "csv"


def _at(value: str | None) -> datetime | None:
    if not value:
        return None
    d = datetime.fromisoformat(value)
    return d.replace(tzinfo=CHINA) if d.tzinfo is None else d


def _messages(path: Path | None) -> list:
    try:
        return load_messages(path)
    except LookupError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc


def hot(
    input: InputOpt = None,
    top: Annotated[int, typer.Option(help="how many issues")] = 10,
    fmt: Annotated[Fmt, typer.Option("--format")] = Fmt.text,
    details: Annotated[
        Path | None, typer.Option(help="write each message with its issue number (CSV)")
    ] = None,
    now: Annotated[str | None, typer.Option(help="score as of this date (default: latest message)")] = None,
) -> None:
    """Rank hot issues (热点问题)."""
    from minyi.insight.hot import rank_hot_issues
    from minyi.insight.matters import shared_grouping

    msgs = _messages(input)
    grouping, keys = shared_grouping(msgs, {}) if msgs else (None, {})  # the board's and the alerts' grouping
    issues = rank_hot_issues(msgs, top=0 if details else top, now=_at(now), grouping=grouping, use_nlp=True)
    if details:
        with open(details, "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["issue", "matter", "score", "id", "user", "title", "time", "likes", "dislikes"])
            for h in issues:
                for m in h.messages:
                    w.writerow(
                        [
                            h.rank,
                            keys[m.id],
                            f"{h.score:.4f}",
                            m.id,
                            m.user,
                            m.title,
                            m.time.isoformat(),
                            m.likes,
                            m.dislikes,
                        ]
                    )
        issues = issues[:top]
    if fmt == Fmt.json:
        typer.echo(json.dumps([h.as_dict() for h in issues], ensure_ascii=False, indent=1))
        return
    for h in issues:
        typer.echo(
            f"{h.rank:>3}. 热度 {h.score:.2f}  {h.place}｜{h.description}\n"
            f"     {h.count} 条留言 / {h.people} 人 / 点赞 {h.likes}，"
            f"{h.first.astimezone(CHINA):%Y-%m-%d} 至 {h.last.astimezone(CHINA):%Y-%m-%d}"
        )


def alerts(
    input: InputOpt = None,
    at: Annotated[
        str | None, typer.Option(help="day to test (YYYY-MM-DD, China local); default today")
    ] = None,
    fmt: Annotated[Fmt, typer.Option("--format")] = Fmt.text,
    alpha: Annotated[float | None, typer.Option(help="false-alarm probability per test")] = None,
) -> None:
    """Early warning: surges by topic, region and hot issue."""
    from dataclasses import replace

    from minyi.insight.surge import SurgeParams, detect_surges

    p = SurgeParams() if alpha is None else replace(SurgeParams(), alpha=alpha)
    when = _at(at)
    if when is not None:
        when = datetime.combine(when.date(), time(12), tzinfo=CHINA)
    found = detect_surges(_messages(input), when, p)
    if fmt == Fmt.json:
        typer.echo(json.dumps([a.as_dict() for a in found], ensure_ascii=False, indent=1))
        return
    if not found:
        typer.echo("没有预警。")
    for a in found:
        typer.echo(f"[{a.key}] {a.explanation}")


replies_app = typer.Typer(help="Reply quality (答复质量).", no_args_is_help=True)


@replies_app.command("score")
def replies_score(
    input: InputOpt = None,
    fmt: Annotated[Fmt, typer.Option("--format")] = Fmt.text,
    out: Annotated[Path | None, typer.Option(help="write here instead of standard output")] = None,
) -> None:
    """Score each official reply: relevance, completeness, explanation, timeliness, template."""
    from minyi.insight.replies import score_reply, weak

    msgs = [m for m in _messages(input) if m.reply]
    fh = open(out, "w", encoding="utf-8-sig", newline="") if out else sys.stdout  # noqa: SIM115
    try:
        if fmt == Fmt.csv:
            w = csv.writer(fh)
            w.writerow(
                [
                    "id",
                    "complete",
                    "explained",
                    "relevance",
                    "completeness",
                    "explanation",
                    "timeliness",
                    "workdays",
                    "acknowledgement",
                    "template",
                    "overall",
                    "weak",
                    "reasons",
                ]
            )
        for m in msgs:
            s = score_reply(f"{m.title}。{m.text}", m.reply or "", m.time, m.reply_time)
            is_weak, reasons = weak(s)
            if fmt == Fmt.csv:
                w.writerow(
                    [
                        m.id,
                        int(s.complete),
                        int(s.explained),
                        s.relevance,
                        s.completeness,
                        s.explanation,
                        s.timeliness,
                        s.workdays if s.workdays is not None else "",
                        int(s.acknowledgement),
                        int(s.template),
                        s.overall,
                        int(is_weak),
                        "；".join(reasons),
                    ]
                )
            elif fmt == Fmt.json:
                fh.write(
                    json.dumps({"id": m.id, **{k: getattr(s, k) for k in s.__slots__}}, ensure_ascii=False)
                    + "\n"
                )
            else:
                fh.write(
                    f"{m.id}\t总分 {s.overall:.2f}\t完整 {int(s.complete)}\t有依据 {int(s.explained)}\t"
                    f"{'；'.join(reasons) or '—'}\n"
                )
    finally:
        if out:
            fh.close()


@replies_app.command("eval")
def replies_eval(
    input: Annotated[Path, typer.Option("--input", "-i", help="replies CSV")],
    labels: Annotated[Path, typer.Option(help="hand judgements CSV: id, complete, explained[, split]")],
    split: Annotated[str | None, typer.Option(help="only labels of this split (dev / heldout)")] = None,
    folds: Annotated[int, typer.Option(help="cross-validation folds")] = 10,
) -> None:
    """Cross-validated agreement with hand judgements and the false 'weak reply' rate."""
    from minyi.insight.reply_eval import evaluate

    typer.echo(json.dumps(evaluate(input, labels, folds=folds, split=split), ensure_ascii=False, indent=1))


def brief(
    week: Annotated[str, typer.Option(help="ISO week, e.g. 2019-W45")],
    out: Annotated[Path, typer.Option(help="HTML file to write (a .pdf beside it when a converter exists)")],
    input: InputOpt = None,
    replies: Annotated[
        Path | None, typer.Option(help="CSV of messages with replies (for reply quality)")
    ] = None,
    pdf: Annotated[
        bool, typer.Option(help="also print a PDF with chromium or wkhtmltopdf when installed")
    ] = True,
) -> None:
    """Write the weekly brief (热点周报)."""
    from minyi.insight.brief import brief_data
    from minyi.insight.fairness import outcomes_from_messages
    from minyi.insight.readers import read_messages
    from minyi.web.rendering import render_document

    msgs = _messages(input)
    replied = list(read_messages(replies)) if replies else [m for m in msgs if m.reply]
    # With --input everything comes from files; without it, outcomes come from the registered database source.
    outcomes = (
        outcomes_from_messages(replied)
        if input is not None
        else load_outcomes() or outcomes_from_messages(replied)
    )
    data = brief_data(week, msgs, outcomes, replies=replied)
    out.write_text(render_document("insight/brief.html", {"b": data}), encoding="utf-8")
    typer.echo(f"已写入 {out}")
    if pdf:
        made = to_pdf(out, out.with_suffix(".pdf"))
        typer.echo(
            f"已写入 {out.with_suffix('.pdf')}"
            if made
            else "没有找到 PDF 转换器（chromium / wkhtmltopdf），只生成了 HTML。"
        )


def to_pdf(html_path: Path, pdf_path: Path) -> bool:
    """Print HTML to PDF with a headless browser or wkhtmltopdf, if one is installed; False otherwise."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        exe = shutil.which(name)
        if exe:
            with tempfile.TemporaryDirectory() as profile:
                cmd = [
                    exe,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    f"--user-data-dir={profile}",
                    "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf_path}",
                    html_path.resolve().as_uri(),
                ]
                done = subprocess.run(cmd, capture_output=True, timeout=120, check=False)
            return done.returncode == 0 and pdf_path.exists()
    exe = shutil.which("wkhtmltopdf")
    if exe:
        done = subprocess.run(
            [exe, "--quiet", str(html_path), str(pdf_path)], capture_output=True, timeout=120, check=False
        )
        return done.returncode == 0
    return False


def register(app: typer.Typer) -> None:
    """Add this slice's commands to the `minyi` command line."""
    app.command("hot")(hot)
    app.command("alerts")(alerts)
    app.add_typer(replies_app, name="replies")
    app.command("brief")(brief)
