"""Build a report (the sections' data for a scope) and lay it out as a page or as a self-contained document."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from time import monotonic
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.annual.rules import Scope, pct
from minyi.annual.sections import ANNUAL, DEPARTMENT, Section, sections_for
from minyi.db import bind_key, register_cache, utcnow
from minyi.departments.models import Department
from minyi.errors import NotFound
from minyi.locale import current_locale, pick
from minyi.uow import end_read


@dataclass
class Report:
    """A built report: its scope, title and each section with its data."""

    scope: Scope
    title: str
    sections: list[tuple[Section, Any]]
    generated_at: datetime

    def context(self) -> dict[str, Any]:
        return {"report": self, "pct": pct, "days": lambda x: "—" if x is None else f"{x:.1f}"}


def department_scope(session: Session, code: str, year: int) -> Scope:
    """The scope of a department's report; an unknown or inactive department is not found."""
    dept = session.scalar(select(Department).where(Department.code == code, Department.active.is_(True)))
    end_read(session)
    if dept is None:
        raise NotFound("单位", "department")
    name = dept.name_en if current_locale() == "en" and dept.name_en else dept.name
    return Scope(year, dept.id, dept.code, name)


CACHE_SECONDS = 300.0  # a report reads the whole year; the pages show one at most this old
_CACHE: dict[tuple[str, Scope, str], tuple[float, Report]] = register_cache({})


def cached_report(session: Session, scope: Scope) -> Report:
    """`build_report`, kept for CACHE_SECONDS per database, scope and language (the public pages read this)."""
    key = (bind_key(session), scope, current_locale())
    hit = _CACHE.get(key)
    if hit is not None and monotonic() - hit[0] < CACHE_SECONDS:
        return hit[1]
    report = build_report(session, scope)
    _CACHE[key] = (monotonic(), report)
    return report


def build_report(session: Session, scope: Scope, now: datetime | None = None) -> Report:
    """Every section of the scope's report, built from the record (in the current locale)."""
    if scope.department_id is None:
        kind = ANNUAL
        title = pick(f"{scope.year}年政务公开年度报告（群众诉求办理）",
                     f"Openness annual report {scope.year}: demands and how they were handled")  # fmt: skip
    else:
        kind = DEPARTMENT
        title = pick(f"{scope.department_name}{scope.year}年度述职报告",
                     f"{scope.department_name}: report on the year {scope.year}")  # fmt: skip
    built = []
    for section in sections_for(kind):
        data = section.build(session, scope)
        if data is not None:
            built.append((section, data))
    end_read(session)
    return Report(scope, title, built, now or utcnow())


def active_departments(session: Session) -> list[tuple[str, str]]:
    """(code, name) of every active department, for the links between the reports."""
    english = current_locale() == "en"
    rows = session.execute(
        select(Department.code, Department.name, Department.name_en)
        .where(Department.active.is_(True))
        .order_by(Department.code)
    ).all()
    end_read(session)
    return [(code, name_en if english and name_en else name) for code, name, name_en in rows]
