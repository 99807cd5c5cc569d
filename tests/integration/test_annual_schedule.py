"""The scheduled regeneration of the published reports prints a report again when its record changed, and only
then (the Chromium print is stubbed here; tests/integration/test_annual_cli.py prints one for real)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from minyi.annual import schedule
from minyi.cases import actions as act
from minyi.db import utcnow
from tests.support.factories import make_org, submit


class Printer:
    def __init__(self) -> None:
        self.documents: list[str] = []

    def __call__(self, html: str) -> bytes:
        self.documents.append(html)
        return b"%PDF-1.4 stub"


def test_reports_are_printed_again_when_their_record_changes_and_not_otherwise(
    session: Session, tmp_path: Path
) -> None:
    org = make_org(session)
    year = utcnow().year
    printer = Printer()
    first = schedule.regenerate_published(session, directory=tmp_path, printer=printer)
    codes = ("east", "housing", "transport")
    stems = {f"{kind}-{y}{lang}" for y in (year, year - 1) for lang in ("", ".en")
             for kind in ("annual", *(f"department-{c}" for c in codes))}  # fmt: skip
    assert set(first.printed) == stems and (first.unchanged, first.failed) == (0, [])
    assert all((tmp_path / f"{s}.pdf").is_file() and (tmp_path / f"{s}.html").is_file() for s in stems)
    assert schedule.generated_at(f"annual-{year}", tmp_path) is not None

    again = schedule.regenerate_published(session, directory=tmp_path, printer=printer)
    assert (again.printed, again.unchanged) == ([], len(stems))  # nothing changed: nothing printed

    case = submit(session, title="小区电梯坏了")
    act.do_accept(session, case, org.actor("intake"))
    act.do_assign(session, case, org.actor("intake"), department_id=org.housing.id)
    changed = schedule.regenerate_published(session, directory=tmp_path, printer=printer)
    assert sorted(changed.printed) == sorted(
        [f"annual-{year}", f"annual-{year}.en", f"department-housing-{year}", f"department-housing-{year}.en"]
    )
    (tmp_path / f"department-transport-{year - 1}.pdf").unlink()  # a lost file is printed again
    lost = schedule.regenerate_published(session, directory=tmp_path, printer=printer)
    assert lost.printed == [f"department-transport-{year - 1}"]
    assert len(printer.documents) == len(stems) + 5
    assert schedule.read_fingerprints(tmp_path).keys() == stems


def test_the_job_queue_runs_it_hourly_and_a_sqlite_server_runs_it_in_a_thread() -> None:
    from sqlalchemy import create_engine

    from minyi.annual import jobs
    from minyi.understanding.jobs import make_app

    app = make_app(create_engine("postgresql+psycopg://minyi@localhost/minyi"))  # no connection is made
    (task,) = [p for (name, _), p in app.periodic_registry.periodic_tasks.items() if name == jobs.TASK]
    assert task.cron == jobs.CRON and task.task.queue == jobs.QUEUE
    sqlite, pg = create_engine("sqlite://"), create_engine("postgresql+psycopg://minyi@localhost/minyi")
    assert jobs.wanted(sqlite, None, "production") and not jobs.wanted(pg, None, "production")
    assert not jobs.wanted(sqlite, None, "test") and jobs.wanted(pg, True, "test")
    assert jobs.queue_wanted(None, "production") and not jobs.queue_wanted(False, "production")
    assert not jobs.queue_wanted(None, "test")
