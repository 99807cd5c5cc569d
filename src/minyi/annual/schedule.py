"""Scheduled regeneration of the published reports: the annual report of the current and the last year and every
active department's report of both years, in Chinese and English, printed again only when what they say changed.

A report's fingerprint is the SHA-256 of its document rendered with a fixed generation time, so the same record
gives the same fingerprint and any change of a figure, a name or a section changes it. The fingerprints and the
generation times live beside the files (`fingerprints.json`); the pages show the time beside the stable PDF link.
Run by the job queue on PostgreSQL (`annual.jobs`), by a thread of the server on SQLite, and by
`minyi report regenerate`."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from minyi import locale as i18n
from minyi.annual.build import active_departments, build_report, department_scope
from minyi.annual.publish import NoBrowser, file_stem, print_pdf, published_dir, replace_file, write_report
from minyi.annual.rules import Scope
from minyi.db import utcnow
from minyi.settings import get_settings
from minyi.web.rendering import render_document

log = logging.getLogger(__name__)
FINGERPRINTS = "fingerprints.json"
FIXED_TIME = datetime(2000, 1, 1, tzinfo=UTC)  # the generation time a fingerprint is taken at


@dataclass
class Regenerated:
    """What one run did: the stems printed again, how many were current, and any that failed."""

    printed: list[str] = field(default_factory=list)
    unchanged: int = 0
    failed: list[str] = field(default_factory=list)


def read_fingerprints(directory: Path | None = None) -> dict[str, dict[str, str]]:
    """stem → {"fingerprint", "generated_at"} of every report printed by the schedule (empty when none)."""
    path = (directory or published_dir()) / FINGERPRINTS
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def generated_at(stem: str, directory: Path | None = None) -> datetime | None:
    """When the published PDF of `stem` was printed by the schedule, or None."""
    found = read_fingerprints(directory).get(stem, {}).get("generated_at")
    try:
        return datetime.fromisoformat(found) if found else None
    except ValueError:
        return None


def _scopes(session: Session, now: datetime) -> list[Scope]:
    """The annual report and each active department's report, of the current year and the last."""
    year = now.astimezone(ZoneInfo(get_settings().timezone)).year
    codes = [code for code, _ in active_departments(session) if file_stem(year, code) is not None]
    return [s for y in (year, year - 1) for s in [Scope(y), *(Scope(y, department_code=c) for c in codes)]]


def regenerate_published(
    session: Session,
    now: datetime | None = None,
    *,
    directory: Path | None = None,
    printer: Callable[[str], bytes] = print_pdf,
) -> Regenerated:
    """Print again every scheduled report whose fingerprint changed (or whose PDF is missing)."""
    now = now or utcnow()
    directory = directory or published_dir()
    stored = read_fingerprints(directory)
    done = Regenerated()
    for scope in _scopes(session, now):
        for locale in i18n.LOCALES:
            token = i18n.set_locale(locale)
            try:
                _one(session, scope, locale, now, directory, stored, printer, done)
            finally:
                i18n.reset_locale(token)
    return done


def _one(
    session: Session,
    scope: Scope,
    locale: str,
    now: datetime,
    directory: Path,
    stored: dict[str, dict[str, str]],
    printer: Callable[[str], bytes],
    done: Regenerated,
) -> None:
    stem = file_stem(scope.year, scope.department_code, locale)
    assert stem is not None  # the scopes' codes were checked
    try:
        if scope.department_code is not None:  # its name in this locale, the department still active
            scope = department_scope(session, scope.department_code, scope.year)
        report = build_report(session, scope, now)
        fixed = render_document(
            "annual/document.html", replace(report, generated_at=FIXED_TIME).context(), locale
        )
        fingerprint = hashlib.sha256(fixed.encode("utf-8")).hexdigest()
        if stored.get(stem, {}).get("fingerprint") == fingerprint and (directory / f"{stem}.pdf").is_file():
            done.unchanged += 1
            return
        write_report(report, directory, locale, printer=printer)
    except NoBrowser:
        raise  # nothing can print: the run stops, its caller says why
    except Exception:  # one report failing (a department gone, a print) leaves the others to print
        log.exception("regenerating the published report %s failed", stem)
        done.failed.append(stem)
        return
    stored[stem] = {"fingerprint": fingerprint, "generated_at": now.isoformat()}
    replace_file(directory / FINGERPRINTS, json.dumps(stored, ensure_ascii=False, indent=1).encode("utf-8"))
    done.printed.append(stem)
