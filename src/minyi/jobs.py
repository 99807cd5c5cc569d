"""The periodic work `minyi sweep` runs (hourly from cron or a timer): the cases' ladder, the misconduct reports' ladder, the ladder of suggestions
and proposals, consultations' dates (inside the cases' sweep), and the media feeds. Each part is idempotent and safe to run from several processes at once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine


def run_periodic(engine: Engine | None = None, now: datetime | None = None) -> dict[str, Any]:
    """Run every periodic part once; what each did, as plain data for the command's JSON line."""
    from minyi.deadlines.sweep import sweep
    from minyi.media.job import pull_feeds
    from minyi.reports.ladder import sweep_reports
    from minyi.suggestions.ladder import run_ladder

    report = sweep(engine, now)
    reports = sweep_reports(engine, now)  # misconduct reports' own ladder, to the inspectors only
    suggestions = run_ladder(engine, now)
    media = pull_feeds(engine, now)
    return {"examined": report.examined, "issued": report.issued, "closed_unevaluated": report.closed_unevaluated,
            "consultations": report.consultations,
            "reports": {"examined": reports.examined, "issued": reports.issued},
            "suggestions": suggestions.issued, **report.others, "media": {"feeds": media.feeds, "added": media.added,
                                                          "failed": media.failed}}  # fmt: skip
