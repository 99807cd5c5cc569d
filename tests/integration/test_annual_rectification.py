"""The rectification section of the reports: items due in the year by status, on time in the city's date, the unit's
own items, and the rounds whose public report came out in the year, linked."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from minyi.accounts.actor import SYSTEM
from minyi.annual import sections
from minyi.annual.rules import Scope
from minyi.inspection.models import InspectionRound, RectificationItem
from minyi.inspection.report_section import rectification_figures
from minyi.uow import write
from minyi.web.rendering import render_document
from tests.support.factories import make_org


def _round(unit_id: int, title: str, published: datetime) -> InspectionRound:
    return InspectionRound(title=title, unit_id=unit_id, starts_on=date(2024, 10, 1), ends_on=date(2024, 11, 1),
                           stage="published", report_json="{}", report_published_at=published)  # fmt: skip


def _item(
    rnd: InspectionRound, n: int, unit_id: int, due: date, status: str, done: datetime | None = None
) -> RectificationItem:
    return RectificationItem(round_id=rnd.id, number=n, problem="问题", unit_id=unit_id, post="科长", measures="措施",
                             due_on=due, evidence_required="材料", status=status, done_at=done)  # fmt: skip


def test_items_due_in_the_year_by_status_on_time_and_the_reports_linked(session: Session) -> None:
    org = make_org(session)
    housing, transport = org.housing.id, org.transport.id
    with write(session, SYSTEM) as tx:
        a = _round(housing, "市委第一巡察组巡察住建局", datetime(2025, 6, 1, 2, 0, tzinfo=UTC))
        b = _round(transport, "市委第二巡察组巡察交通局", datetime(2024, 12, 1, 2, 0, tzinfo=UTC))
        session.add_all([a, b])
        session.flush()
        session.add_all([
            _item(a, 1, housing, date(2025, 3, 10), "accepted", datetime(2025, 3, 9, 2, 0, tzinfo=UTC)),
            # accepted at 01:00 on 11 March in Beijing: a day after the deadline although 10 March in UTC
            _item(a, 2, housing, date(2025, 3, 10), "accepted", datetime(2025, 3, 10, 17, 0, tzinfo=UTC)),
            _item(a, 3, transport, date(2025, 5, 1), "rejected"),
            _item(a, 4, housing, date(2026, 2, 1), "open"),  # due another year
            _item(b, 1, transport, date(2024, 12, 20), "accepted", datetime(2024, 12, 1, 2, 0, tzinfo=UTC)),
        ])  # fmt: skip
        tx.record("test.rectification", "inspection_round", a.id, {})
    end_of_year = date(2025, 12, 31)
    city = rectification_figures(session, Scope(2025), today=end_of_year)
    assert (city.items, city.accepted, city.on_time, city.rejected, city.overdue) == (3, 2, 1, 1, 1)
    assert dict(city.by_status) == {"已完成": 2, "未通过验收": 1}
    assert city.rounds_finished == 1 and [r.round_id for r in city.reports] == [a.id]
    (report,) = city.reports
    assert report.unit == "住建局" and report.url == f"/inspections/{a.id}/report"
    mine = rectification_figures(session, Scope(2025, housing, "housing", "住建局"), today=end_of_year)
    assert (mine.items, mine.accepted, mine.on_time, mine.rejected, mine.overdue) == (2, 2, 1, 0, 0)
    theirs = rectification_figures(session, Scope(2025, transport, "transport", "交通局"), today=end_of_year)
    assert (theirs.items, theirs.rejected) == (1, 1)
    assert [r.round_id for r in theirs.reports] == [a.id]  # named responsible in a round on another unit
    before = rectification_figures(session, Scope(2024), today=end_of_year)
    assert (before.items, before.on_time, [r.round_id for r in before.reports]) == (1, 1, [b.id])
    assert "rectification" in [s.key for s in sections.sections_for(sections.ANNUAL)]
    assert "rectification" in [s.key for s in sections.sections_for(sections.DEPARTMENT)]
    html = render_document("annual/_rectification.html", {"s": city})
    assert f'href="/inspections/{a.id}/report"' in html and "市委第一巡察组巡察住建局" in html
