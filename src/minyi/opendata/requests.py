"""Service requests as Open311 shows them, read only through the public projection of cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, select
from sqlalchemy.orm import Session

from minyi.cases.models import Case
from minyi.cases.present import VIEW_COLUMNS, public_views
from minyi.cases.public import public_conditions, stored_public_text
from minyi.cases.rules import PUBLIC_STATUSES, Kind
from minyi.cases.schemas import PublicCase
from minyi.db import table_of
from minyi.opendata.catalogue import OTHER, groups
from minyi.opendata.rules import CLOSED, open311_status, parse_service_code, service_code, service_name

PUBLIC = [s.value for s in PUBLIC_STATUSES]
MAX_RANGE = timedelta(days=90)
MAX_DESCRIPTION = 4000


@dataclass(frozen=True)
class RequestFilter:
    """GET requests: ids (which override the rest), service codes, a date range (at most 90 days), status."""

    ids: tuple[int, ...] = ()
    service_codes: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    statuses: tuple[str, ...] = ()
    page: int = 1
    page_size: int = 50


def public_cases() -> Select[Case]:
    """Cases the public may read (the one rule in `cases.public`), never a misconduct report."""
    stmt = select(Case).options(*stored_public_text())  # the stored masked text, used when current
    return stmt.where(*_readable())


def public_case_rows() -> Select[Any]:
    """`public_cases` as plain rows of the columns the public projection reads (the export: no case objects)."""
    table = table_of(Case)
    return select(*(table.c[name] for name in VIEW_COLUMNS)).where(*_readable())


def flagged_case_rows() -> Select[Any]:
    """Every case as a plain row of those columns with `readable`: `public_case_rows`'s condition as a column. A
    reader by id range keeps the readable rows; the range alone is the WHERE, so the database reads it by the
    primary key (a WHERE on visibility makes SQLite scan and sort every public case for each range)."""
    table = table_of(Case)
    return select(*(table.c[name] for name in VIEW_COLUMNS), and_(*_readable()).label("readable"))


def _readable() -> list[Any]:
    return [*public_conditions(), Case.kind != Kind.report.value]


def _by_service(stmt: Select[Case], codes: tuple[str, ...]) -> Select[Case]:
    known = groups()
    wanted = [p for p in (parse_service_code(c, known) for c in codes) if p is not None]
    if not wanted:
        return stmt.where(Case.id.is_(None))  # only unknown codes: nothing matches
    from sqlalchemy import or_

    return stmt.where(
        or_(*(
            and_(Case.kind == kind, Case.topic_code.is_(None) if group == OTHER
                 else or_(Case.topic_code == group, Case.topic_code.like(group + ".%")))
            for kind, group in wanted
        ))
    )  # fmt: skip


def find_requests(session: Session, f: RequestFilter, now: datetime) -> list[dict[str, Any]]:
    """One page of public requests, newest first, as Open311 dictionaries."""
    stmt = public_cases()
    if f.ids:
        stmt = stmt.where(Case.id.in_(f.ids))
    else:
        if f.service_codes:
            stmt = _by_service(stmt, f.service_codes)
        end = f.end or (f.start + MAX_RANGE if f.start else now)
        start = f.start or end - MAX_RANGE
        stmt = stmt.where(Case.registered_at >= start, Case.registered_at <= end)
        if f.statuses and set(f.statuses) != {"open", "closed"}:
            closed = [s for s in PUBLIC if s in CLOSED]
            stmt = stmt.where(
                Case.status.in_(closed) if "closed" in f.statuses else Case.status.not_in(closed)
            )
    stmt = stmt.order_by(Case.registered_at.desc(), Case.id.desc())
    cases = list(session.scalars(stmt.limit(f.page_size).offset((f.page - 1) * f.page_size)))
    return [as_request(v) for v in public_views(session, cases) if v.id is not None]


def find_request(session: Session, case_id: int) -> dict[str, Any] | None:
    """One public request, or None where there is none the public may read (missing and hidden look alike)."""
    case = session.scalar(public_cases().where(Case.id == case_id))
    if case is None:
        return None
    (view,) = public_views(session, [case])
    return as_request(view) if view.id is not None else None


def as_request(v: PublicCase) -> dict[str, Any]:
    """The GeoReport v2 request of a public view: every text is the view's masked text."""
    group = (v.topic_code or "").split(".")[0] or OTHER
    name = groups().get(group, groups()[OTHER])
    notes = [e.note for e in v.timeline if e.note]
    updated = v.timeline[-1].at if v.timeline else None
    description = f"{v.title}\n{v.body}"[:MAX_DESCRIPTION]
    return {
        "service_request_id": str(v.id), "status": open311_status(v.status),
        "status_notes": notes[-1] if notes else v.status_zh, "service_name": service_name(v.kind, name),
        "service_code": service_code(v.kind, group), "description": description,
        "agency_responsible": v.department, "service_notice": None,
        "requested_datetime": _iso(v.registered_at), "updated_datetime": _iso(updated),
        "expected_datetime": _iso(v.due_at), "address": v.region or None, "address_id": v.region_code,
        "zipcode": None, "lat": None, "long": None, "media_url": None,
    }  # fmt: skip


def _iso(at: datetime | None) -> str | None:
    return at.isoformat().replace("+00:00", "Z") if at else None
