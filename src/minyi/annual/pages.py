"""Public pages of the annual report and the department reports, and their printed PDFs. Thin."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Path, Request, Response
from fastapi.responses import FileResponse

from minyi.annual.build import active_departments, cached_report, department_scope
from minyi.annual.publish import file_stem, published_dir
from minyi.annual.rules import Scope, reportable_year
from minyi.annual.schedule import generated_at
from minyi.db import utcnow
from minyi.deps import SessionDep
from minyi.errors import NotFound
from minyi.locale import current_locale
from minyi.settings import get_settings
from minyi.web.rendering import PageRoute, redirect, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)
Year = Annotated[int, Path(ge=1, le=9999)]
Code = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,40}$")]


def _year(year: int) -> int:
    if not reportable_year(year, utcnow(), ZoneInfo(get_settings().timezone)):
        raise NotFound("年度报告", "annual report")
    return year


def _pdf(year: int, code: str | None) -> tuple[str | None, datetime | None]:
    """The stable URL of the printed report, and when it was printed (None, None before it is)."""
    stem = file_stem(year, code, current_locale())
    path = published_dir() / f"{stem}.pdf"
    if stem is None or not path.is_file():
        return None, None
    printed = generated_at(stem) or datetime.fromtimestamp(path.stat().st_mtime, UTC)
    return f"/annual-report/{year}" + (f"/departments/{code}" if code else "") + "/report.pdf", printed


def _page(request: Request, session: SessionDep, scope: Scope) -> Response:
    report = cached_report(session, scope)
    departments = [{"code": c, "name": n} for c, n in active_departments(session)]
    pdf_url, pdf_at = _pdf(scope.year, scope.department_code)
    context = {**report.context(), "departments": departments, "pdf_url": pdf_url, "pdf_at": pdf_at}
    return render(request, "annual/page.html", context)


@router.get("/annual-report")
def latest() -> Response:
    """The report of the last full year."""
    return redirect(f"/annual-report/{utcnow().astimezone(ZoneInfo(get_settings().timezone)).year - 1}")


@router.get("/annual-report/{year}")
def annual_page(request: Request, session: SessionDep, year: Year) -> Response:
    """政务公开年度报告: the year's demands, consultations and suggestions, with charts and tables."""
    return _page(request, session, Scope(_year(year)))


@router.get("/annual-report/{year}/departments/{code}")
def department_page(request: Request, session: SessionDep, year: Year, code: Code) -> Response:
    """述职述廉: one department's year from the record."""
    return _page(request, session, department_scope(session, code, _year(year)))


def _file(year: int, code: str | None) -> FileResponse:
    stem = file_stem(year, code, current_locale())
    path = published_dir() / f"{stem}.pdf"
    if stem is None or not path.is_file():
        raise NotFound("报告文件", "report file")
    return FileResponse(path, media_type="application/pdf", filename=f"{stem}.pdf")


@router.get("/annual-report/{year}/report.pdf")
def annual_pdf(year: Year) -> FileResponse:
    """The printed annual report (written by `minyi report annual`)."""
    return _file(year, None)


@router.get("/annual-report/{year}/departments/{code}/report.pdf")
def department_pdf(year: Year, code: Code) -> FileResponse:
    """The printed department report (written by `minyi report department`)."""
    return _file(year, code)
