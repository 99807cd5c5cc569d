"""The accountability section of the annual and department reports: records opened and decided in the year, by
form and ground, and the decisions made public (redacted). Registered with the reports' section registry."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.accountability.models import AccountabilityRecord
from minyi.accountability.present import public_views
from minyi.accountability.rules import Status, form_label, ground_label, is_public
from minyi.accountability.schemas import PublicRecordOut
from minyi.annual.rules import Scope, year_window
from minyi.annual.sections import Section, register_section
from minyi.settings import get_settings


@dataclass(frozen=True)
class AccountabilityFigures:
    opened: int
    decided: int
    opened_by_ground: list[tuple[str, int]]
    decided_by_form: list[tuple[str, int]]
    public: list[PublicRecordOut]


def _labelled(counts: Counter[str], label: Callable[[str], str]) -> list[tuple[str, int]]:
    return [(label(k), n) for k, n in counts.most_common()]


def accountability_figures(session: Session, scope: Scope) -> AccountabilityFigures:
    """Records opened in the year (by ground) and decided in it (by the form decided); public decisions only."""
    start, end = year_window(scope.year, ZoneInfo(get_settings().timezone))
    stmt = select(AccountabilityRecord)
    if scope.department_id is not None:
        stmt = stmt.where(AccountabilityRecord.unit_id == scope.department_id)
    records = list(session.scalars(stmt.order_by(AccountabilityRecord.id)))
    opened = [r for r in records if start <= r.created_at < end]
    decided = [
        r for r in records if r.status == Status.decided and r.decided_at and start <= r.decided_at < end
    ]
    published = [r for r in decided if is_public(r.status, r.public)]
    return AccountabilityFigures(
        opened=len(opened),
        decided=len(decided),
        opened_by_ground=_labelled(Counter(r.ground for r in opened), ground_label),
        decided_by_form=_labelled(Counter(r.form for r in decided), form_label),
        public=public_views(session, published),
    )


def _build(session: Session, scope: Scope) -> AccountabilityFigures:
    return accountability_figures(session, scope)


register_section(Section("accountability", "问责情况", "Accountability", "annual/_accountability.html",
                         _build, order=40))  # fmt: skip
