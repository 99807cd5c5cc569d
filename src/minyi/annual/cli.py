"""`minyi report annual --year YYYY` and `minyi report department CODE --year YYYY`: HTML and PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

report_app = typer.Typer(help="The annual report (政务公开年度报告) and department reports (述职述廉).",
                         no_args_is_help=True)  # fmt: skip
YearOpt = Annotated[int, typer.Option("--year", min=2000, max=9999, help="the calendar year reported on")]
OutOpt = Annotated[
    Path | None, typer.Option("--out", help="folder to write into (default: the one the pages serve)")
]
LangOpt = Annotated[str, typer.Option("--lang", help="zh or en")]
PdfOpt = Annotated[bool, typer.Option("--pdf/--no-pdf", help="also print a PDF with the system Chromium")]


def _write(year: int, code: str | None, out: Path | None, lang: str, pdf: bool) -> None:
    from zoneinfo import ZoneInfo

    from minyi import locale as i18n
    from minyi.annual.build import build_report, department_scope
    from minyi.annual.publish import NoBrowser, published_dir, write_report
    from minyi.annual.rules import Scope, reportable_year
    from minyi.db import session_scope, utcnow
    from minyi.errors import MinyiError
    from minyi.settings import get_settings

    locale = i18n.pick_locale(lang) or i18n.DEFAULT_LOCALE
    if not reportable_year(year, utcnow(), ZoneInfo(get_settings().timezone)):
        typer.echo(f"{year} 年尚未开始 / the year {year} has not begun", err=True)
        raise typer.Exit(2)
    token = i18n.set_locale(locale)
    try:
        with session_scope() as session:
            scope = Scope(year) if code is None else department_scope(session, code, year)
            report = build_report(session, scope)
        paths = write_report(report, out or published_dir(), locale, pdf=pdf)
    except MinyiError as exc:
        typer.echo(f"{exc.message_zh} / {exc.message_en}", err=True)
        raise typer.Exit(2) from exc
    except NoBrowser as exc:
        typer.echo(f"无法生成 PDF / no PDF: {exc}", err=True)
        raise typer.Exit(3) from exc
    finally:
        i18n.reset_locale(token)
    for path in paths:
        typer.echo(f"已写入 / written: {path}")


@report_app.command("annual")
def annual(year: YearOpt, out: OutOpt = None, lang: LangOpt = "zh", pdf: PdfOpt = True) -> None:
    """政务公开年度报告: the city's year of demands, consultations and suggestions, as HTML and PDF."""
    _write(year, None, out, lang, pdf)


@report_app.command("department")
def department(
    code: str, year: YearOpt, out: OutOpt = None, lang: LangOpt = "zh", pdf: PdfOpt = True
) -> None:
    """述职述廉: one department's year from the record, as HTML and PDF."""
    _write(year, code, out, lang, pdf)


@report_app.command("regenerate")
def regenerate() -> None:
    """Print again the published reports (this year and last, annual and departments, zh and en) whose figures
    changed since their last print; the rest are left as they are. The job queue runs this hourly."""
    import json

    from minyi.annual.jobs import regenerate as run
    from minyi.annual.publish import NoBrowser

    try:
        done = run()
    except NoBrowser as exc:
        typer.echo(f"无法生成 PDF / no PDF: {exc}", err=True)
        raise typer.Exit(3) from exc
    typer.echo(json.dumps(done, ensure_ascii=False))
    if done["failed"]:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add `minyi report` to the command line."""
    app.add_typer(report_app, name="report")
